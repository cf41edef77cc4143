package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static dev.daxaudit.core.Pages.PMD_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When the engine uses a 2 MiB PMD entry, and what that means for dirtying and flushing. */
class PmdEntryTest {
    private static final long PMD_ALIGNED = 0x7f00_0040_0000L; // 4 MiB aligned
    private static final long PMD_PAGES = Pages.PTES_PER_PMD;

    @Test
    void aStoreIntoAnEligibleRangeDirtiesTheWholePmdEntry() throws Exception {
        EngineFixture f = new EngineFixture();
        Vma vma = f.map(PMD_ALIGNED, 2 * PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED + PMD_SIZE + 5 * PAGE, 8);
        assertEquals(List.of(PMD_SIZE, 2 * PMD_SIZE), f.unsyncedRanges());
        assertTrue(vma.isWritable((int) PMD_PAGES + 511), "one PMD maps all 512 pages writable");
        assertFalse(vma.isWritable(0));
    }

    @Test
    void aForceOfOnePageFlushesTheWholePmdEntry() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED, PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED + 100 * PAGE, 8);
        f.force(PMD_ALIGNED + 100 * PAGE, 8);
        assertTrue(f.report().findings().isEmpty());
        assertEquals(PMD_SIZE, f.report().files().get(0).bytesFlushed());
    }

    @Test
    void addressAndFileOffsetOfDifferentColourFallBackToPtes() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED + PAGE, PMD_PAGES * 2, 0);
        f.engine.store(PMD_ALIGNED + PAGE, 8);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void aMappingThatDoesNotCoverTheWholePmdFallsBackToPtes() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED, PMD_PAGES - 1, 0);
        f.engine.store(PMD_ALIGNED, 8);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void aPmdBeyondEndOfFileFallsBackToPtes() throws Exception {
        EngineFixture f = new EngineFixture();
        f.engine.map(EngineFixture.FILE, "/data/small", MappingMode.READ_WRITE, PMD_ALIGNED, PMD_SIZE, 0,
                PMD_SIZE - PAGE, PMD_SIZE - PAGE);
        f.engine.store(PMD_ALIGNED, 8);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void existingPteEntriesInTheRangeForcePtes() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED + PAGE, PMD_PAGES * 2, 0); // wrong colour: PTE entry for file page 0
        f.engine.store(PMD_ALIGNED + PAGE, 8);
        f.map(0x7f00_0100_0000L, PMD_PAGES, 0); // right colour, same file range
        f.engine.store(0x7f00_0100_0000L + 7 * PAGE, 8);
        assertEquals(List.of(0L, PAGE, 7 * PAGE, 8 * PAGE), f.unsyncedRanges());
    }

    @Test
    void entriesOptionPteTurnsPmdEntriesOff() throws Exception {
        EngineFixture f = new EngineFixture("entries=pte");
        f.map(PMD_ALIGNED, PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED, 8);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }
}
