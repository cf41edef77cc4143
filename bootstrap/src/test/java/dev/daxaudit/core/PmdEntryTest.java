package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.PAGE;
import static dev.daxaudit.core.Pages.PMD_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.FileSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the kernel model uses a 2 MiB PMD entry, what it measures then (one fault, whole-entry flushes), and that
 * the verdict never follows it: findings hold exactly the 4 KiB pages stored, and a force makes durable exactly
 * the pages it covers, though the model flushes the whole entry.
 */
class PmdEntryTest {
    private static final long PMD_ALIGNED = 0x7f00_0040_0000L; // 4 MiB aligned
    private static final long PMD_PAGES = Pages.PTES_PER_PMD;

    @Test
    void aStoreIntoAnEligibleRangeFaultsInAPmdButTheFindingIsThePageStored() throws Exception {
        EngineFixture f = new EngineFixture();
        Vma vma = f.map(PMD_ALIGNED, 2 * PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED + PMD_SIZE + 5 * PAGE, 4);
        assertEquals(List.of(PMD_SIZE + 5 * PAGE, PMD_SIZE + 6 * PAGE), f.unsyncedRanges());
        assertTrue(vma.isWritable((int) PMD_PAGES + 511), "one PMD maps all 512 pages writable");
        assertFalse(vma.isWritable(0));
        assertEquals(1, f.file().pmdFaults());
    }

    @Test
    void furtherPagesOfAWritablePmdAreRecordedWithoutAnotherFault() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED, PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED, 8);
        f.engine.store(PMD_ALIGNED + 7 * PAGE, 8);
        f.engine.store(PMD_ALIGNED + 9 * PAGE, 8);
        FileSummary file = f.file();
        assertEquals(1, file.faults());
        assertEquals(3, file.pagesDirtied());
        assertEquals(List.of(0L, PAGE, 7 * PAGE, 8 * PAGE, 9 * PAGE, 10 * PAGE), f.unsyncedRanges());
    }

    @Test
    void aForceOfOnePageFlushesTheWholeEntryButMakesOnlyThatPageDurable() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED, PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED + 100 * PAGE, 8);
        f.engine.store(PMD_ALIGNED + 300 * PAGE, 8);
        f.force(PMD_ALIGNED + 100 * PAGE, 8);
        assertEquals(List.of(300 * PAGE, 301 * PAGE), f.unsyncedRanges(), "the force did not cover page 300");
        assertEquals(PMD_SIZE, f.file().bytesFlushed(), "dax_writeback_one flushed the whole entry");
    }

    @Test
    void aPageLeftUnsyncedInAFlushedPmdFaultsAgainOnTheNextStoreAndIsStillOneFinding() throws Exception {
        EngineFixture f = new EngineFixture();
        Vma vma = f.map(PMD_ALIGNED, PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED, 8);
        f.engine.store(PMD_ALIGNED + 300 * PAGE, 8);
        f.force(PMD_ALIGNED, 8);
        assertFalse(vma.isWritable(300), "the whole PMD was write-protected");
        f.engine.store(PMD_ALIGNED + 300 * PAGE + 64, 8);
        assertEquals(2, f.file().faults());
        assertEquals(List.of(300 * PAGE, 301 * PAGE), f.unsyncedRanges());
        f.force(PMD_ALIGNED + 300 * PAGE, PAGE);
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void addressAndFileOffsetOfDifferentColourFallBackToPtes() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED + PAGE, PMD_PAGES * 2, 0);
        f.engine.store(PMD_ALIGNED + PAGE, 8);
        assertEquals(0, f.file().pmdFaults());
        f.force(PMD_ALIGNED + PAGE, 8);
        assertEquals(PAGE, f.file().bytesFlushed());
    }

    @Test
    void aMappingThatDoesNotCoverTheWholePmdFallsBackToPtes() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED, PMD_PAGES - 1, 0);
        f.engine.store(PMD_ALIGNED, 8);
        assertEquals(0, f.file().pmdFaults());
    }

    @Test
    void aPmdBeyondEndOfFileFallsBackToPtes() throws Exception {
        EngineFixture f = new EngineFixture();
        f.engine.map(EngineFixture.FILE, "/data/small", MappingMode.READ_WRITE, PMD_ALIGNED, PMD_SIZE, 0,
                PMD_SIZE - PAGE, PMD_SIZE - PAGE);
        f.engine.store(PMD_ALIGNED, 8);
        assertEquals(0, f.file().pmdFaults());
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void existingPteEntriesInTheSlotForcePtesEvenAfterTheyWereWrittenBack() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED + PAGE, PMD_PAGES * 2, 0); // wrong colour: PTE entry for file page 0
        f.engine.store(PMD_ALIGNED + PAGE, 8);
        f.force(PMD_ALIGNED + PAGE, 8); // clean, but the kernel keeps the PTE entry in the slot
        f.map(0x7f00_0100_0000L, PMD_PAGES, 0); // right colour, same file range
        f.engine.store(0x7f00_0100_0000L + 7 * PAGE, 8);
        assertEquals(0, f.file().pmdFaults());
        assertEquals(List.of(7 * PAGE, 8 * PAGE), f.unsyncedRanges());
    }

    @Test
    void aPteFaultThatFindsAPmdEntryDirtiesThePmdButMapsOnePage() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(PMD_ALIGNED, PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED, 8); // PMD entry for file pages 0..511
        Vma odd = f.map(0x7f00_0100_0000L + PAGE, PMD_PAGES, 0); // wrong colour
        f.engine.store(0x7f00_0100_0000L + PAGE + 3 * PAGE, 8);
        assertTrue(odd.isWritable(3));
        assertFalse(odd.isWritable(4));
        f.force(PMD_ALIGNED, PAGE);
        assertEquals(PMD_SIZE, f.file().bytesFlushed());
        assertEquals(List.of(3 * PAGE, 4 * PAGE), f.unsyncedRanges());
    }

    @Test
    void entriesOptionPteTurnsPmdEntriesOff() throws Exception {
        EngineFixture f = new EngineFixture("entries=pte");
        f.map(PMD_ALIGNED, PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED, 8);
        assertEquals(0, f.file().pmdFaults());
        assertEquals("pte", f.file().storage().entries());
    }

    @Test
    void thePageCacheModelHasNoPmdEntries() throws Exception {
        EngineFixture f = new EngineFixture("", EngineFixture.PAGE_CACHE);
        f.map(PMD_ALIGNED, PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED, 8);
        f.engine.store(PMD_ALIGNED + PAGE, 8);
        assertEquals(2, f.file().faults());
        assertEquals(0, f.file().pmdFaults());
        assertEquals("page-cache", f.file().storage().model());
        assertEquals(List.of(0L, 2 * PAGE), f.unsyncedRanges());
    }

    /**
     * H7: a truncate through a DIRTY PMD entry deletes it unwritten, so the stored pages below the new end are
     * flushed by no later force (the data truth still credits that force); forced before the truncate, nothing.
     */
    @Test
    void aTruncateThroughAnEntryHoldingUnwrittenStoresIsH7OnThosePagesAndNotAfterAForce() throws Exception {
        EngineFixture f = new EngineFixture();
        Vma vma = f.map(PMD_ALIGNED, PMD_PAGES, 0);
        f.engine.store(PMD_ALIGNED + 3 * PAGE, 8);
        f.engine.store(PMD_ALIGNED + 5 * PAGE, 8);
        f.engine.unmap(vma.start);
        f.engine.resize(EngineFixture.FILE, 40 * PAGE);
        dev.daxaudit.core.report.Hazard h7 = f.report().hazards().get(0);
        assertEquals("H7", h7.kind().code());
        assertEquals(3 * PAGE, h7.start(), "the pages stored, not the whole entry");
        assertEquals(6 * PAGE, h7.end());
        Vma again = f.map(PMD_ALIGNED, 40, 0);
        f.force(again.start, 40 * PAGE);
        assertEquals(List.of(), f.report().findings(), "the verdict follows the program's force");

        EngineFixture forced = new EngineFixture();
        Vma first = forced.map(PMD_ALIGNED, PMD_PAGES, 0);
        forced.engine.store(PMD_ALIGNED + 3 * PAGE, 8);
        forced.force(first.start, PMD_SIZE);
        forced.engine.unmap(first.start);
        forced.engine.resize(EngineFixture.FILE, 40 * PAGE);
        assertEquals(List.of(), forced.report().hazards());
    }
}
