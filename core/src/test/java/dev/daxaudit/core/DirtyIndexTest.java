package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.SiteCount;
import dev.daxaudit.testsupport.AppCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clean/DIRTY/TOWRITE transitions of the dirty index, one test per transition. */
class DirtyIndexTest {

    @Test
    void firstStoreToACleanPageFaultsAndTagsItDirtyWithSiteAndThread() throws Exception {
        EngineFixture f = new EngineFixture();
        Vma vma = f.map(BASE, 4, 0);
        assertFalse(vma.isWritable(1));

        AppCode.store(f.engine, BASE + PAGE + 10, 8);

        assertTrue(vma.isWritable(1));
        Finding finding = f.findings(FindingKind.UNSYNCED_AT_EXIT).get(0);
        assertEquals("/data/file-1234", finding.file());
        assertEquals(List.of(PAGE, 2 * PAGE), List.of(finding.ranges().get(0).start(), finding.ranges().get(0).end()));
        SiteCount site = finding.sites().get(0);
        assertEquals(AppCode.class.getName(), site.site().className());
        assertEquals("store", site.site().method());
        assertEquals("AppCode.java", site.site().fileName());
        assertEquals(AppCode.storeLine(), site.site().line());
        assertEquals(1, site.count());
        assertEquals(List.of(Thread.currentThread().getName()), finding.threads());
    }

    @Test
    void storeToAnAlreadyDirtyPageDoesNotFaultAgain() throws Exception {
        EngineFixture f = new EngineFixture("storedBytes=true");
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.store(BASE + 100, 8);
        f.engine.store(BASE + 4000, 8);
        assertEquals(1, file(f).faults());
        assertEquals(24, file(f).bytesStored());
    }

    @Test
    void forceCleansTheRangeAndWriteProtectsItSoTheNextStoreRedirties() throws Exception {
        EngineFixture f = new EngineFixture();
        Vma vma = f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.store(BASE + 2 * PAGE, 8);

        f.force(BASE, 4 * PAGE);

        assertTrue(f.report().findings().isEmpty());
        assertFalse(vma.isWritable(0));
        assertFalse(vma.isWritable(2));
        assertEquals(2 * PAGE, file(f).bytesFlushed());

        f.engine.store(BASE + 2 * PAGE + 8, 8);
        assertEquals(List.of(2 * PAGE, 3 * PAGE), f.unsyncedRanges());
        assertEquals(3, file(f).faults());
    }

    @Test
    void forceOfASubRangeLeavesTheRestDirty() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        for (int page = 0; page < 4; page++) {
            f.engine.store(BASE + page * PAGE, 8);
        }
        f.force(BASE + 10, PAGE); // bytes 10..4106 touch pages 0 and 1
        assertEquals(List.of(2 * PAGE, 4 * PAGE), f.unsyncedRanges());
    }

    @Test
    void forceThroughOneMappingCoversPagesDirtiedThroughAnother() throws Exception {
        EngineFixture f = new EngineFixture();
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
    void fsyncWritesBackEveryDirtyPageOfTheFileWhicheverMappingDirtiedIt() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 2, 0);
        f.map(BASE + 0x1000_0000L, 2, 8 * PAGE);
        f.engine.store(BASE, 8);
        f.engine.store(BASE + 0x1000_0000L + PAGE, 8);
        Writeback w = f.engine.startFsync(EngineFixture.FILE);
        f.engine.finishWriteback(w, true);
        assertTrue(f.report().findings().isEmpty());
        assertEquals(1, file(f).fsyncs());
    }

    @Test
    void fsyncOfAnotherFileDoesNothing() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        assertNull(f.engine.startFsync(new FileId(8, 99)));
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void storeThatFaultsWhileWritebackIsInFlightStaysDirtyAfterIt() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        Writeback w = f.engine.startForce(BASE, 2 * PAGE, false); // tagged TOWRITE, write-protected
        f.engine.store(BASE + 16, 8); // faults during the flush
        f.engine.finishWriteback(w, true);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void failedWritebackLeavesEntriesDirty() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        f.engine.finishWriteback(f.engine.startForce(BASE, PAGE, false), false);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        assertEquals(0, file(f).bytesFlushed());
    }

    @Test
    void concurrentWritebacksCleanEachEntryOnce() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        Writeback first = f.engine.startForce(BASE, PAGE, false);
        Writeback second = f.engine.startFsync(EngineFixture.FILE);
        f.engine.finishWriteback(first, true);
        f.engine.finishWriteback(second, true);
        assertTrue(f.report().findings().isEmpty());
        assertEquals(PAGE, file(f).bytesFlushed());
    }

    @Test
    void storesCrossingPagesAndBulkStoresFaultEveryPageTheyTouch() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 8, 0);
        f.engine.store(BASE + PAGE - 4, 8); // pages 0 and 1
        f.engine.store(BASE + 3 * PAGE + 1, 3 * PAGE); // pages 3..6
        assertEquals(List.of(0L, 2 * PAGE, 3 * PAGE, 7 * PAGE), f.unsyncedRanges());
    }

    @Test
    void storeSpanningTwoAdjacentMappingsDirtiesBoth() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 2, 0);
        f.map(new FileId(8, 77), MappingMode.READ_WRITE, BASE + 2 * PAGE, 2, 0);
        f.engine.store(BASE + 2 * PAGE - 4, 8);
        assertEquals(2, f.findings(FindingKind.UNSYNCED_AT_EXIT).size());
    }

    @Test
    void storesOutsideAnyMappingAreIgnored() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 2, 0);
        f.engine.store(BASE - 8, 8);
        f.engine.store(BASE + 2 * PAGE, 8);
        f.engine.store(0x1000, 8);
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void privateAndReadOnlyMappingsNeverDirtyTheFile() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(EngineFixture.FILE, MappingMode.PRIVATE, BASE, 2, 0);
        f.map(EngineFixture.FILE, MappingMode.READ_ONLY, BASE + 0x10_0000L, 2, 0);
        f.engine.store(BASE, 8);
        f.engine.store(BASE + 0x10_0000L, 8);
        assertTrue(f.report().findings().isEmpty());
        assertEquals(2, file(f).mappings().size());
    }

    @Test
    void mappingAtAnUnalignedFileOffsetCountsPagesFromThePageBoundary() throws Exception {
        EngineFixture f = new EngineFixture();
        // The JDK maps from the page boundary below the position and hands out address + (position % page).
        f.engine.map(EngineFixture.FILE, "/data/x", MappingMode.READ_WRITE, BASE + 100, 2 * PAGE, 5 * PAGE + 100,
                1 << 20, 1 << 20);
        f.engine.store(BASE + 100 + PAGE, 8); // file byte 6 * PAGE + 100
        assertEquals(List.of(6 * PAGE, 7 * PAGE), f.unsyncedRanges());
    }

    @Test
    void rangesAreCoalescedAndSitesCounted() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 8, 0);
        for (int page : new int[] {0, 1, 2, 5}) {
            AppCode.store(f.engine, BASE + page * PAGE, 8);
        }
        Finding finding = f.findings(FindingKind.UNSYNCED_AT_EXIT).get(0);
        assertEquals(4, finding.pages());
        assertEquals(List.of(0L, 3 * PAGE, 5 * PAGE, 6 * PAGE), f.unsyncedRanges());
        assertEquals(1, finding.sites().size());
        assertEquals(4, finding.sites().get(0).count());
    }

    @Test
    void unsyncedTimeRunsFromTheFirstDirtyingStoreToTheReport() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 2, 0);
        f.engine.store(BASE, 8);
        f.clock.addAndGet(5_000_000L);
        f.engine.store(BASE + PAGE, 8);
        f.clock.addAndGet(2_000_000L);
        assertEquals(7.0, f.report().findings().get(0).ranges().get(0).unsyncedMillis());
    }

    @Test
    void storedBytesAreNotCountedUnlessAskedFor() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        assertEquals(-1, file(f).bytesStored());
    }

    private static FileSummary file(EngineFixture f) {
        return f.report().files().get(0);
    }
}
