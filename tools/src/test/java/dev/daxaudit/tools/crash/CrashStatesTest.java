package dev.daxaudit.tools.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.Site;
import dev.daxaudit.tools.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.tools.crash.CrashJournalReader.Durable;
import dev.daxaudit.tools.crash.CrashJournalReader.Point;
import dev.daxaudit.tools.crash.CrashStates.Enumerated;
import dev.daxaudit.tools.crash.CrashStates.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which crash states each strategy yields for a point with pending pages, and that identical files count once. */
class CrashStatesTest {
    private static final Site SITE = new Site("app.Log", "append", "Log.java", 12);

    /** A point of file 0 with {@code pending} pages 0..pending-1 pending, each holding its index in byte 0. */
    static Point point(int index, int pending) {
        List<DirtyPage> dirty = new ArrayList<>();
        for (int i = 0; i < pending; i++) {
            byte[] page = new byte[4096];
            page[0] = (byte) (i + 1);
            dirty.add(new DirtyPage(0, i, i, SITE, page, false));
        }
        Map<Integer, Durable> durable = new HashMap<>();
        durable.put(0, new Durable(8 * 4096, new HashMap<>()));
        return new Point(index, "force", "", SITE, "main", durable, dirty, List.of(), List.of(), Map.of());
    }

    /** A journal of one audited file, {@code /d/log}, named so before the run, with these points. */
    static CrashJournalReader.Journal journal(Point... points) {
        return journal(Persistence.POSIX, points);
    }

    private static CrashJournalReader.Journal journal(Persistence model, Point... points) {
        return new CrashJournalReader.Journal(List.of(new CrashJournalReader.AuditedFile(0, "/d/log",
                java.nio.file.Paths.get("/d/copy"), "ext4", new long[0], true)), List.of(points), true, model, false,
                Map.of("/d/log", 0), Map.of(0, 0), java.nio.file.Paths.get("/d"));
    }

    private static List<String> subsets(Enumerated e) {
        List<String> out = new ArrayList<>();
        for (State s : e.states()) {
            StringBuilder sb = new StringBuilder();
            for (boolean b : s.persisted()) {
                sb.append(b ? '1' : '0');
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void prefixPersistsThePagesInTheOrderTheyWereFirstStored() throws Exception {
        assertEquals(List.of("000", "100", "110", "111"), subsets(CrashStates.parse("prefix")
                .enumerate(journal(point(0, 3)), 100)));
    }

    @Test
    void reversePersistsTheNewestFirst() throws Exception {
        assertEquals(List.of("000", "001", "011", "111"), subsets(CrashStates.parse("reverse")
                .enumerate(journal(point(0, 3)), 100)));
    }

    @Test
    void fullYieldsEverySubsetUpToItsLimitAndPrefixesBeyond() throws Exception {
        assertEquals(8, CrashStates.parse("full").enumerate(journal(point(0, 3)), 100).states().size());
        assertEquals(4, CrashStates.parse("full:2").enumerate(journal(point(0, 3)), 100).states().size());
    }

    @Test
    void randomIsSeededSoARunRepeats() throws Exception {
        Enumerated a = CrashStates.parse("random:5").enumerate(journal(point(0, 6)), 100);
        Enumerated b = CrashStates.parse("random:5").enumerate(journal(point(0, 6)), 100);
        assertEquals(subsets(a), subsets(b));
        assertEquals(5, a.yielded());
    }

    @Test
    void statesLeavingTheSameFilesAreListedOnceAndTheCapIsReported() throws Exception {
        // Two points with the same pending pages and durable image: the second adds nothing.
        Enumerated e = CrashStates.parse("prefix").enumerate(journal(point(0, 2), point(1, 2)), 100);
        assertEquals(6, e.yielded());
        assertEquals(3, e.distinct());
        assertEquals(3, e.states().size());
        Enumerated capped = CrashStates.parse("prefix").enumerate(journal(point(0, 5)), 2);
        assertEquals(2, capped.states().size());
        assertTrue(capped.capped());
    }

    @Test
    void tornLinesSplitTheNextPageByItsChangedCacheLines() throws Exception {
        Point p = point(0, 1);
        p.dirty().get(0).content()[64] = 9; // a second changed line
        Enumerated e = CrashStates.parse("prefix").withTornLines((point, file, pgoff) -> new byte[4096])
                .enumerate(journal(p), 100);
        assertEquals(4, e.states().size(), "none, whole, line 0 only, line 1 only");
        assertNull(e.states().get(0).torn());
        CrashStates.Torn first = e.states().get(2).torn();
        assertEquals(1, first.linesPersisted());
        assertEquals(2, first.linesChanged());
        assertEquals(1, first.content()[0]);
        assertEquals(0, first.content()[64]);
        assertEquals(List.of(), e.states().get(2).lostPages(), "a torn page is neither lost nor persisted");
    }

    @Test
    void pendingNamespaceOperationsPersistAsPrefixesWithEverySubsetOfPages() throws Exception {
        Point p = point(0, 1);
        CrashJournalReader.NamespaceOp rename = new CrashJournalReader.NamespaceOp(0, 'R', "/d/log", "/d/log.old",
                SITE, "main", -1, 0, false, 0, -1);
        Point withRename = new Point(0, "rename", "", SITE, "main", p.durable(), p.dirty(), List.of(), List.of(rename),
                Map.of());
        CrashJournalReader.Journal journal = journal(withRename);
        Enumerated e = CrashStates.parse("prefix").enumerate(journal, 100);
        assertEquals(4, e.states().size(), "page lost or persisted, rename lost or persisted");
        List<String> names = new ArrayList<>();
        for (State s : e.states()) {
            names.add(journal.names(s.persistedOps()).keySet() + (s.persisted()[0] ? "+page" : ""));
        }
        assertEquals(List.of("[/d/log]", "[/d/log.old]", "[/d/log]+page", "[/d/log.old]+page"), names);
        assertEquals(List.of(rename), e.states().get(0).lostOps());
        assertEquals(List.of(), e.states().get(1).lostOps());
        assertTrue(CrashRun.remedy(journal, e.states().get(2)).startsWith("fsync the directory /d "
                + "(FileChannel.open(dir, READ).force(true)) after the rename of log to /d/log.old at app.Log.append"),
                CrashRun.remedy(journal, e.states().get(2)));
    }

    /**
     * Under ext4 a page that had no blocks allocated persists only with every operation older than its store: its
     * writeback allocates in a transaction whose commit carries them (data=ordered). Under posix, any combination.
     */
    @Test
    void underExt4APageThatAllocatesPersistsOnlyWithTheOperationsBeforeIt() throws Exception {
        byte[] content = new byte[4096];
        content[0] = 1;
        CrashJournalReader.NamespaceOp rename = new CrashJournalReader.NamespaceOp(0, 'R', "/d/log", "/d/log.old",
                SITE, "main", -1, 5, false, 0, -1);
        DirtyPage hole = new DirtyPage(0, 0, 10, SITE, content, true); // stored after the rename
        Map<Integer, Durable> durable = Map.of(0, new Durable(4096, new HashMap<>()));
        Point p = new Point(0, "force", "", SITE, "main", durable, List.of(hole), List.of(), List.of(rename),
                Map.of());
        List<String> ext4 = new ArrayList<>();
        CrashJournalReader.Journal onExt4 = journal(Persistence.EXT4, p);
        for (State s : CrashStates.parse("prefix").enumerate(onExt4, 100).states()) {
            ext4.add(onExt4.names(s.persistedOps()).keySet() + (s.persisted()[0] ? "+page" : ""));
        }
        assertEquals(List.of("[/d/log]", "[/d/log.old]", "[/d/log.old]+page"), ext4, "never the page without the rename");
        assertEquals(4, CrashStates.parse("prefix").enumerate(journal(Persistence.POSIX, p), 100).states().size());
        // A page already allocated (an overwrite) is not ordered with the journal: it may persist alone.
        Point overwrite = new Point(0, "force", "", SITE, "main", durable,
                List.of(new DirtyPage(0, 0, 10, SITE, content, false)), List.of(), List.of(rename), Map.of());
        assertEquals(4, CrashStates.parse("prefix").enumerate(journal(Persistence.EXT4, overwrite), 100).states()
                .size());
    }

    /** Under ext4 a pending rename over an existing file persists only with the renamed file's earlier pages. */
    @Test
    void underExt4ARenameOverAFilePersistsOnlyWithTheDataStoredBeforeIt() throws Exception {
        byte[] content = new byte[4096];
        content[0] = 1;
        CrashJournalReader.NamespaceOp over = new CrashJournalReader.NamespaceOp(0, 'R', "/d/log", "/d/CURRENT",
                SITE, "main", -1, 5, true, 0, -1);
        DirtyPage before = new DirtyPage(0, 0, 1, SITE, content, false); // stored before the rename
        Map<Integer, Durable> durable = Map.of(0, new Durable(4096, new HashMap<>()));
        Point p = new Point(0, "rename", "", SITE, "main", durable, List.of(before), List.of(), List.of(over),
                Map.of());
        List<String> ext4 = new ArrayList<>();
        CrashJournalReader.Journal onExt4 = journal(Persistence.EXT4, p);
        for (State s : CrashStates.parse("prefix").enumerate(onExt4, 100).states()) {
            ext4.add(onExt4.names(s.persistedOps()).keySet() + (s.persisted()[0] ? "+page" : ""));
        }
        assertEquals(List.of("[/d/log]", "[/d/log]+page", "[/d/CURRENT]+page"), ext4, "never renamed without its data");
        assertEquals(4, CrashStates.parse("prefix").enumerate(journal(Persistence.POSIX, p), 100).states().size());
    }

    @Test
    void aBadStrategyIsOneMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrashStates.parse("full:99"));
        assertEquals("bad strategy 'full:99' (expected prefix, reverse, random:N or full[:K] with K at most 20)",
                e.getMessage());
    }
}
