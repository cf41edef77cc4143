package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.FILE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * write(2) into a file the program maps: one page cache, so its pages are unsynced like stored ones until an msync
 * over them or an fsync of the file; on fs-dax only the pages whose blocks the write allocated wait for a sync.
 */
class WrittenIntoMappedFileTest {

    @Test
    void inThePageCacheAWrittenPageIsUnsyncedUntilTheMappingsForceCoversIt() throws Exception {
        EngineFixture f = new EngineFixture("entries=pte", EngineFixture.PAGE_CACHE);
        f.map(BASE, 4, 0);
        f.engine.vfs().written(FILE, PAGE + 10, 2 * PAGE); // pages 1, 2 and 3
        assertEquals(List.of(PAGE, 4 * PAGE), f.unsyncedRanges());
        f.force(BASE, 2 * PAGE); // msync of pages 0 and 1
        assertEquals(List.of(2 * PAGE, 4 * PAGE), f.unsyncedRanges());
        f.fsync();
        assertEquals(List.of(), f.unsyncedRanges());
    }

    @Test
    void onDaxAWriteOverAllocatedBlocksIsDurableAndOneThatGrowsTheFileWaitsForAnFsync() throws Exception {
        EngineFixture f = new EngineFixture("entries=pte", EngineFixture.DAX);
        f.map(BASE, 4, 0);
        long size = f.file().size();
        f.engine.vfs().written(FILE, 0, PAGE); // over a block the file had at its first map: dax_copy_from_iter
        assertEquals(List.of(), f.unsyncedRanges());
        f.engine.vfs().written(FILE, size, 2 * PAGE); // past the end: allocates, i_size moves
        assertEquals(List.of(size, size + 2 * PAGE), f.unsyncedRanges());
        assertTrue(f.file().size() >= size + 2 * PAGE, "i_size follows the write");
        f.fsync();
        assertEquals(List.of(), f.unsyncedRanges());
    }

    @Test
    void aFileNeverMappedIsLeftToCrashStates() throws Exception {
        EngineFixture f = new EngineFixture("entries=pte", EngineFixture.PAGE_CACHE);
        f.engine.vfs().written(new FileId(8, 99), 0, PAGE);
        assertEquals(List.of(), f.report().files());
        assertEquals(false, f.engine.vfs().wantsWrites());
    }
}
