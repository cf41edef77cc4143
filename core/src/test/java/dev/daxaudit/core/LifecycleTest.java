package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.testsupport.AppCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unmap, truncate and their findings. */
class LifecycleTest {

    @Test
    void unsyncedPagesWhoseLastMappingIsUnmappedAreLostAtUnmapWithTheUnmapSite() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        AppCode.store(f.engine, BASE + PAGE, 8);
        f.clock.addAndGet(3_000_000L);
        f.engine.unmap(BASE);
        f.clock.addAndGet(50_000_000L);

        assertTrue(f.findings(FindingKind.UNSYNCED_AT_EXIT).isEmpty());
        Finding lost = f.findings(FindingKind.LOST_AT_UNMAP).get(0);
        assertEquals(PAGE, lost.ranges().get(0).start());
        assertEquals(3.0, lost.ranges().get(0).unsyncedMillis(), "unsynced time ends at the unmap");
        assertEquals("unmap", lost.cause().event());
        assertEquals(Thread.currentThread().getName(), lost.cause().thread());
        assertEquals(AppCode.class.getName(), lost.sites().get(0).site().className());
        assertEquals(0, f.report().files().get(0).mappings().get(0).live());
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
    void anFsyncAfterTheUnmapStillWritesThePagesBack() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.unmap(BASE);
        f.engine.finishWriteback(f.engine.startFsync(EngineFixture.FILE), true);
        assertTrue(f.report().findings().isEmpty());
    }

    @Test
    void unmappingOneOfTwoMappingsLosesNothingTheOtherStillCovers() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.map(BASE + 0x100_0000L, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.unmap(BASE);
        assertTrue(f.findings(FindingKind.LOST_AT_UNMAP).isEmpty());
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void unmapOfAnUnknownAddressIsIgnored() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.unmap(BASE + PAGE);
        f.engine.store(BASE, 8);
        assertEquals(1, f.findings(FindingKind.UNSYNCED_AT_EXIT).size());
    }

    @Test
    void truncateDiscardsDirtyPagesBeyondTheNewEndAndReportsThemLost() throws Exception {
        EngineFixture f = new EngineFixture();
        Vma vma = f.map(BASE, 4, 0);
        for (int page = 0; page < 4; page++) {
            f.engine.store(BASE + page * PAGE, 8);
        }
        f.engine.resize(EngineFixture.FILE, PAGE + 1); // keeps pages 0 and 1

        Finding lost = f.findings(FindingKind.LOST_AT_TRUNCATE).get(0);
        assertEquals(List.of(2 * PAGE, 4 * PAGE), List.of(lost.ranges().get(0).start(), lost.ranges().get(0).end()));
        assertEquals("truncate", lost.cause().event());
        assertEquals(List.of(0L, 2 * PAGE), f.unsyncedRanges());
        assertFalse(vma.isWritable(3), "pages beyond end of file are write-protected");
        assertEquals(PAGE + 1, f.report().files().get(0).size());
    }

    @Test
    void growingAFileLosesNothing() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        f.engine.resize(EngineFixture.FILE, 1L << 40);
        assertTrue(f.findings(FindingKind.LOST_AT_TRUNCATE).isEmpty());
    }

    @Test
    void closingAChannelChangesNothingButIsCountedWithUnsyncedPages() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        f.engine.channelClosed(EngineFixture.FILE);
        f.engine.store(BASE, 8);
        f.engine.channelClosed(EngineFixture.FILE);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        assertEquals(2, f.report().files().get(0).channelCloses());
        assertEquals(1, f.report().files().get(0).closesWithUnsyncedPages());
    }

    @Test
    void excludedFilesAreNotAudited() throws Exception {
        EngineFixture f = new EngineFixture("exclude=/data/**");
        assertNull(f.map(BASE, 4, 0));
        f.engine.store(BASE, 8);
        assertTrue(f.report().files().isEmpty());
    }
}
