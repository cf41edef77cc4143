package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.FILE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code *_SYNC} (MAP_SYNC) mappings: a force writes back exactly the 64-byte cache lines of its range
 * ({@code Unsafe.writebackMemory}), no msync. Stores fully inside those lines are durable; stores outside them, or
 * reaching past them, are not. The fault left the kernel's entry clean, so no msync or fsync flushes these lines.
 */
class SyncMappingTest {
    private static final long LINE = 64;

    private static EngineFixture mapped() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(FILE, MappingMode.READ_WRITE_SYNC, BASE, 4, 0);
        return f;
    }

    @Test
    void aForceOfTheStoredLinesMakesThemDurable() throws Exception {
        EngineFixture f = mapped();
        f.engine.store(BASE + 100, 8);
        f.cacheFlush(BASE + 64, LINE);
        assertTrue(f.report().findings().isEmpty());
        assertEquals(LINE, f.file().bytesFlushed());
        assertEquals(1, f.file().cacheFlushes());
    }

    @Test
    void aForceOfPartOfAPageLeavesStoresOutsideItsLinesUnsynced() throws Exception {
        EngineFixture f = mapped();
        f.engine.store(BASE + 8, 8); // line 0
        f.engine.store(BASE + 1000, 8); // line 15
        f.cacheFlush(BASE, 16); // line 0 only
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        f.cacheFlush(BASE + 960, 64); // line 15
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void aStoreStraddlingTwoLinesOfWhichOneIsFlushedStaysUnsynced() throws Exception {
        EngineFixture f = mapped();
        f.engine.store(BASE + 60, 8); // bytes 60..67: lines 0 and 1
        f.cacheFlush(BASE, 64);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        f.cacheFlush(BASE + 64, 1);
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void aStoreAfterTheFlushOfItsLineIsUnsyncedAgain() throws Exception {
        EngineFixture f = mapped();
        f.engine.store(BASE + 8, 8);
        f.cacheFlush(BASE, 64);
        f.engine.store(BASE + 16, 8);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void anFsyncDoesNotFlushLinesStoredThroughAMapSyncMapping() throws Exception {
        EngineFixture f = mapped();
        f.engine.store(BASE + 8, 8);
        f.fsync();
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges(), "dax_insert_entry left the synchronous fault's entry clean");
        assertEquals(0, f.file().bytesFlushed());
    }

    @Test
    void theFaultIsSynchronousAndMakesTheAllocationDurable() throws Exception {
        EngineFixture f = new EngineFixture();
        f.engine.map(FILE, "/data/sync", MappingMode.READ_WRITE_SYNC, BASE, 4 * PAGE, 0, PAGE, 4 * PAGE);
        f.engine.store(BASE + 2 * PAGE, 8);
        assertEquals(1, f.file().syncFaults());
        assertEquals(1, f.finding().syncFaultPages());
        assertEquals(0, f.finding().newBlockPages());
    }

    @Test
    void aBulkStoreAcrossPagesIsTrackedLineByLine() throws Exception {
        EngineFixture f = mapped();
        f.engine.store(BASE + PAGE - 32, 96); // last line of page 0, first line of page 1
        f.cacheFlush(BASE + PAGE - 64, 64);
        assertEquals(List.of(PAGE, 2 * PAGE), f.unsyncedRanges());
        f.cacheFlush(BASE + PAGE, 64);
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void aStoreWhileACacheFlushOfItsLineIsInFlightStaysUnsynced() throws Exception {
        EngineFixture f = mapped();
        f.engine.store(BASE + 8, 8);
        Writeback w = f.engine.startForce(BASE, 64, true);
        Thread racer = new Thread(() -> f.engine.store(BASE + 16, 8), "racer");
        racer.start();
        racer.join();
        f.engine.finishWriteback(w, true);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        assertEquals("racer", f.finding().race().store().thread());
    }

    @Test
    void linesOfAPageAreComputedFromByteOffsets() {
        assertEquals(1L, StoredPages.lines(0, 1));
        assertEquals(1L, StoredPages.lines(0, 64));
        assertEquals(3L, StoredPages.lines(0, 65));
        assertEquals(1L << 63, StoredPages.lines(4095, 4096));
        assertEquals(-1L, StoredPages.lines(0, 4096));
        assertEquals(6L, StoredPages.lines(64, 129));
    }
}
