package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.SiteCount;
import dev.daxaudit.testsupport.AppCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data truth through stores and writebacks: a page is unsynced from the first store into it until a
 * writeback covering it completes, and stays unsynced if it was stored into while that writeback was in flight.
 * PTE entries throughout ({@code entries=pte}), so model and truth agree page for page; {@link PmdEntryTest} shows
 * where they differ.
 */
class StoreAndWritebackTest {

    private static EngineFixture fixture(String options) throws Exception {
        return new EngineFixture(options.isEmpty() ? "entries=pte" : "entries=pte," + options);
    }

    @Test
    void firstStoreIntoACleanPageRecordsItWithSiteAndThreadAndFaults() throws Exception {
        EngineFixture f = fixture("");
        Vma vma = f.map(BASE, 4, 0);
        assertFalse(vma.isWritable(1));

        AppCode.store(f.engine, BASE + PAGE + 10, 8);

        assertTrue(vma.isStored(1));
        Finding finding = f.finding();
        assertEquals(FindingKind.UNSYNCED, finding.kind());
        assertEquals("/data/file-1234", finding.file());
        assertEquals(List.of(PAGE, 2 * PAGE), f.unsyncedRanges());
        SiteCount site = finding.sites().get(0);
        assertEquals(AppCode.class.getName(), site.site().className());
        assertEquals("store", site.site().method());
        assertEquals("AppCode.java", site.site().fileName());
        assertEquals(AppCode.storeLine(), site.site().line());
        assertEquals(1, site.count());
        assertEquals(List.of(Thread.currentThread().getName()), finding.threads());
        assertNull(finding.unmapped());
        assertNull(finding.race());
        assertTrue(finding.explanation().startsWith("1 page was stored into and never made durable"),
                finding.explanation());
        assertEquals(1, f.file().faults());
        assertEquals(1, f.file().pagesDirtied());
    }

    @Test
    void storeIntoAnAlreadyStoredPageCostsNothingMore() throws Exception {
        EngineFixture f = fixture("storedBytes=true");
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.store(BASE + 100, 8);
        f.engine.store(BASE + 4000, 8);
        assertEquals(1, f.file().faults());
        assertEquals(1, f.file().pagesDirtied());
        assertEquals(24, f.file().bytesStored());
    }

    @Test
    void forceMakesTheRangeDurableAndWriteProtectsItSoTheNextStoreIsRecordedAgain() throws Exception {
        EngineFixture f = fixture("");
        Vma vma = f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.store(BASE + 2 * PAGE, 8);

        f.force(BASE, 4 * PAGE);

        assertTrue(f.report().findings().isEmpty());
        assertFalse(vma.isWritable(0));
        assertFalse(vma.isWritable(2));
        assertEquals(2 * PAGE, f.file().bytesFlushed());
        assertEquals(2, f.file().pagesSynced());

        f.engine.store(BASE + 2 * PAGE + 8, 8);
        assertEquals(List.of(2 * PAGE, 3 * PAGE), f.unsyncedRanges());
        assertEquals(3, f.file().faults());
    }

    @Test
    void forceOfASubRangeLeavesTheRestUnsynced() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 4, 0);
        for (int page = 0; page < 4; page++) {
            f.engine.store(BASE + page * PAGE, 8);
        }
        f.force(BASE + 10, PAGE); // bytes 10..4106 touch pages 0 and 1
        assertEquals(List.of(2 * PAGE, 4 * PAGE), f.unsyncedRanges());
    }

    @Test
    void forceThroughOneMappingCoversPagesStoredThroughAnother() throws Exception {
        EngineFixture f = fixture("");
        Vma a = f.map(BASE, 4, 0);
        Vma b = f.map(BASE + 0x1000_0000L, 2, 2 * PAGE); // file pages 2..3
        f.engine.store(BASE + 3 * PAGE, 8); // file page 3 through a
        f.force(BASE + 0x1000_0000L, 2 * PAGE); // file pages 2..3 through b

        assertTrue(f.report().findings().isEmpty());
        assertFalse(a.isWritable(3), "writeback write-protects the page in every mapping");
        f.engine.store(BASE + 0x1000_0000L + PAGE, 8); // file page 3 again, through b
        assertEquals(List.of(3 * PAGE, 4 * PAGE), f.unsyncedRanges());
        assertFalse(b.isWritable(0));
    }

    @Test
    void fsyncMakesEveryStoredPageOfTheFileDurableWhicheverMappingStoredIt() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.map(BASE + 0x1000_0000L, 2, 8 * PAGE);
        f.engine.store(BASE, 8);
        f.engine.store(BASE + 0x1000_0000L + PAGE, 8);
        f.fsync();
        assertTrue(f.report().findings().isEmpty());
        assertEquals(1, f.file().fsyncs());
    }

    @Test
    void fsyncOfAnotherFileDoesNothing() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        assertNull(f.engine.startFsync(new FileId(8, 99)));
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void storeWhileAForceIsInFlightOnAnotherThreadStaysUnsyncedWithTheRaceAsContext() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        Writeback w = f.engine.startForce(BASE, 2 * PAGE, false);
        Thread racer = new Thread(() -> AppCode.store(f.engine, BASE + 16, 8), "racer");
        racer.start();
        racer.join();
        f.engine.finishWriteback(w, true);

        Finding finding = f.finding();
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        assertEquals(List.of("racer"), finding.threads(), "the unsynced data is the racing store's");
        assertNotNull(finding.race());
        assertEquals("racer", finding.race().store().thread());
        assertEquals("force", finding.race().force().operation());
        assertEquals(Thread.currentThread().getName(), finding.race().force().thread());
        assertEquals(1, finding.race().pages());
        assertTrue(finding.explanation().contains("landed while a force"), finding.explanation());
    }

    @Test
    void aLaterForceAfterTheRaceMakesThePageDurableAndLeavesNoTrace() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        Writeback w = f.engine.startForce(BASE, 2 * PAGE, false);
        f.engine.store(BASE + 16, 8);
        f.engine.finishWriteback(w, true);
        f.force(BASE, 2 * PAGE);
        assertTrue(f.report().findings().isEmpty());
        assertTrue(f.report().hazards().isEmpty());
    }

    @Test
    void aStoreAfterTheForceReturnedIsAnOrdinaryNewStore() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        f.force(BASE, 2 * PAGE);
        f.engine.store(BASE + 16, 8);
        assertNull(f.finding().race());
    }

    @Test
    void overlappingWritebacksEachMakeDurableOnlyWhatWasStoredBeforeTheyStarted() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        Writeback first = f.engine.startForce(BASE, PAGE, false);
        f.engine.store(BASE + 8, 8); // after the first started: only the second covers it
        Writeback second = f.engine.startFsync(EngineFixture.FILE);
        f.engine.finishWriteback(first, true);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges(), "the first writeback does not cover the later store");
        f.engine.finishWriteback(second, true);
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void failedWritebackMakesNothingDurable() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        f.engine.finishWriteback(f.engine.startForce(BASE, PAGE, false), false);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        assertEquals(0, f.file().bytesFlushed());
        f.force(BASE, PAGE);
        assertTrue(f.report().findings().isEmpty(), "the entry stayed dirty for the next writeback");
    }

    @Test
    void concurrentWritebacksFlushEachEntryOnce() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        Writeback first = f.engine.startForce(BASE, PAGE, false);
        Writeback second = f.engine.startFsync(EngineFixture.FILE);
        f.engine.finishWriteback(first, true);
        f.engine.finishWriteback(second, true);
        assertTrue(f.report().findings().isEmpty());
        assertEquals(PAGE, f.file().bytesFlushed());
    }

    @Test
    void storesCrossingPagesAndBulkStoresRecordEveryPageTheyTouch() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 8, 0);
        f.engine.store(BASE + PAGE - 4, 8); // pages 0 and 1
        f.engine.store(BASE + 3 * PAGE + 1, 3 * PAGE); // pages 3..6
        assertEquals(List.of(0L, 2 * PAGE, 3 * PAGE, 7 * PAGE), f.unsyncedRanges());
    }

    @Test
    void storeSpanningTwoAdjacentMappingsOfTwoFilesGivesTwoFindings() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.map(new FileId(8, 77), MappingMode.READ_WRITE, BASE + 2 * PAGE, 2, 0);
        f.engine.store(BASE + 2 * PAGE - 4, 8);
        assertEquals(2, f.report().findings().size());
    }

    @Test
    void storesOutsideAnyMappingAreIgnored() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.engine.store(BASE - 8, 8);
        f.engine.store(BASE + 2 * PAGE, 8);
        f.engine.store(0x1000, 8);
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void privateAndReadOnlyMappingsNeverDirtyTheFile() throws Exception {
        EngineFixture f = fixture("");
        f.map(EngineFixture.FILE, MappingMode.PRIVATE, BASE, 2, 0);
        f.map(EngineFixture.FILE, MappingMode.READ_ONLY, BASE + 0x10_0000L, 2, 0);
        f.engine.store(BASE, 8);
        f.engine.store(BASE + 0x10_0000L, 8);
        assertTrue(f.report().findings().isEmpty());
        assertEquals(2, f.file().mappings().size());
    }

    @Test
    void mappingAtAnUnalignedFileOffsetCountsPagesFromThePageBoundary() throws Exception {
        EngineFixture f = fixture("");
        // The JDK maps from the page boundary below the position and hands out address + (position % page).
        f.engine.map(EngineFixture.FILE, "/data/x", MappingMode.READ_WRITE, BASE + 100, 2 * PAGE, 5 * PAGE + 100,
                1 << 20, 1 << 20);
        f.engine.store(BASE + 100 + PAGE, 8); // file byte 6 * PAGE + 100
        assertEquals(List.of(6 * PAGE, 7 * PAGE), f.unsyncedRanges());
    }

    @Test
    void rangesAreCoalescedAndSitesCountedInPages() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 8, 0);
        for (int page : new int[] {0, 1, 2, 5}) {
            AppCode.store(f.engine, BASE + page * PAGE, 8);
        }
        Finding finding = f.finding();
        assertEquals(4, finding.pages());
        assertEquals(List.of(0L, 3 * PAGE, 5 * PAGE, 6 * PAGE), f.unsyncedRanges());
        assertEquals(1, finding.sites().size());
        assertEquals(4, finding.sites().get(0).count());
    }

    @Test
    void unsyncedTimeRunsFromTheFirstStoreToTheReport() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        f.clock.addAndGet(5_000_000L);
        f.engine.store(BASE + PAGE, 8);
        f.clock.addAndGet(2_000_000L);
        assertEquals(7.0, f.finding().ranges().get(0).unsyncedMillis());
    }

    @Test
    void storedBytesAreNotCountedUnlessAskedFor() throws Exception {
        EngineFixture f = fixture("");
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        assertEquals(-1, f.file().bytesStored());
    }
}
