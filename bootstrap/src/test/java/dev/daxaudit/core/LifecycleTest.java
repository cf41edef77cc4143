package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.Hazard;
import dev.daxaudit.core.report.HazardKind;
import dev.daxaudit.testsupport.AppCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unmap, close and truncate: what they change about unsynced pages, and what they add as context or hazard. */
class LifecycleTest {

    @Test
    void unsyncedPagesWhoseLastMappingIsUnmappedStayUnsyncedWithTheUnmapAsContext() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        AppCode.store(f.engine, BASE + PAGE, 8);
        f.clock.addAndGet(3_000_000L);
        f.engine.unmap(BASE);
        f.clock.addAndGet(50_000_000L);

        Finding finding = f.finding();
        assertEquals(List.of(PAGE, 2 * PAGE), f.unsyncedRanges());
        assertEquals(53.0, finding.ranges().get(0).unsyncedMillis(), "still unsynced after the unmap, as in the kernel");
        assertNotNull(finding.unmapped());
        assertEquals(1, finding.unmapped().pages());
        assertEquals("unmap", finding.unmapped().lastUnmap().operation());
        assertEquals(Thread.currentThread().getName(), finding.unmapped().lastUnmap().thread());
        assertEquals(AppCode.class.getName(), finding.sites().get(0).site().className());
        assertTrue(finding.explanation().contains("last chance to force them through a mapping passed at"),
                finding.explanation());
        assertEquals(0, f.file().mappings().get(0).live());
    }

    @Test
    void storesAfterUnmapAreNotAttributedToTheDeadMapping() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.unmap(BASE);
        f.engine.store(BASE, 8);
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void anFsyncAfterTheUnmapStillMakesThePagesDurable() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.unmap(BASE);
        f.fsync();
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void aForceThroughANewMappingOfTheSameRangeMakesPagesOfTheOldOneDurable() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.unmap(BASE);
        f.map(BASE + 0x100_0000L, 4, 0);
        f.force(BASE + 0x100_0000L, 4 * PAGE);
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void unmappingOneOfTwoMappingsLeavesPagesTheOtherCoversMapped() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.map(BASE + 0x100_0000L, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.unmap(BASE);
        assertNull(f.finding().unmapped());
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void aPageMappedAgainAfterItsUnmapIsNotReportedAsUnmapped() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.unmap(BASE);
        f.map(BASE + 0x100_0000L, 4, 0);
        assertNull(f.finding().unmapped());
    }

    @Test
    void unmapOfAnUnknownAddressIsIgnored() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.unmap(BASE + PAGE);
        f.engine.store(BASE, 8);
        assertEquals(1, f.report().findings().size());
    }

    @Test
    void truncateDiscardsStoredPagesBeyondTheNewEndWithoutAFindingAndTheLiveMappingIsTheHazard() throws Exception {
        EngineFixture f = new EngineFixture();
        Vma vma = f.map(BASE, 4, 0);
        for (int page = 0; page < 4; page++) {
            f.engine.store(BASE + page * PAGE, 8);
        }
        f.engine.resize(EngineFixture.FILE, PAGE + 1); // keeps pages 0 and 1

        assertEquals(List.of(0L, 2 * PAGE), f.unsyncedRanges(), "no finding for what the truncate discarded");
        Hazard h = f.report().hazards().get(0);
        assertEquals(HazardKind.TRUNCATE_UNDER_MAPPING, h.kind());
        assertEquals(List.of(2 * PAGE, 4 * PAGE), List.of(h.start(), h.end()));
        assertEquals(2, h.discardedPages());
        assertEquals(1, h.count());
        assertEquals("map", h.first().operation());
        assertEquals("truncate", h.second().operation());
        assertFalse(vma.isWritable(3), "pages beyond end of file are write-protected");
        assertEquals(PAGE + 1, f.file().size());
        assertEquals(2, f.file().pagesDiscardedByTruncate());
    }

    @Test
    void truncateAfterTheUnmapIsNoHazardAndNoFinding() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.store(BASE + 3 * PAGE, 8);
        f.engine.unmap(BASE);
        f.engine.resize(EngineFixture.FILE, PAGE);
        assertTrue(f.report().findings().isEmpty());
        assertTrue(f.report().hazards().isEmpty());
    }

    @Test
    void repeatedTruncatesUnderTheMappingFromOneSiteAreOneHazardWithACount() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 8, 0);
        for (int i = 0; i < 3; i++) {
            shrink(f, (7 - i) * PAGE);
        }
        assertEquals(1, f.report().hazards().size());
        Hazard h = f.report().hazards().get(0);
        assertEquals(3, h.count());
        assertEquals(List.of(5 * PAGE, 8 * PAGE), List.of(h.start(), h.end()));
    }

    private static void shrink(EngineFixture f, long size) {
        f.engine.resize(EngineFixture.FILE, size); // one call site for every truncate of the loop
    }

    @Test
    void growingAFileChangesNothing() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.resize(EngineFixture.FILE, 1L << 40);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        assertTrue(f.report().hazards().isEmpty());
    }

    @Test
    void closingAChannelChangesNothingButIsContextOfThePagesUnsyncedThen() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.channelClosed(EngineFixture.FILE);
        f.engine.store(BASE, 8);
        f.engine.channelClosed(EngineFixture.FILE);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        assertEquals(2, f.file().channelCloses());
        assertEquals(1, f.file().closesWithUnsyncedPages());
        assertEquals("close", f.finding().closed().operation());
    }

    @Test
    void storesIntoBlocksAllocatedInAGrownFileSayTheAllocationIsNotDurableUntilASync() throws Exception {
        EngineFixture f = new EngineFixture("entries=pte");
        // map() grew the file from one page to four: pages 1..3 are holes until a write fault allocates them
        f.engine.map(EngineFixture.FILE, "/data/grown", MappingMode.READ_WRITE, BASE, 4 * PAGE, 0, PAGE, 4 * PAGE);
        f.engine.store(BASE, 8);
        f.engine.store(BASE + 2 * PAGE, 8);
        Finding finding = f.finding();
        assertEquals(1, finding.newBlockPages());
        assertTrue(finding.explanation().contains("not even the allocation is durable"), finding.explanation());
        f.force(BASE + 2 * PAGE, PAGE);
        f.engine.store(BASE + 2 * PAGE, 8);
        assertEquals(0, f.finding().newBlockPages(), "the msync made the allocation durable");
    }

    @Test
    void excludedFilesAreNotAudited() throws Exception {
        EngineFixture f = new EngineFixture("exclude=/data/**");
        assertNull(f.map(BASE, 4, 0));
        f.engine.store(BASE, 8);
        assertTrue(f.report().files().isEmpty());
    }
}
