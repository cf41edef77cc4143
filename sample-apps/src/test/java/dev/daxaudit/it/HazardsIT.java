package dev.daxaudit.it;

import static dev.daxaudit.it.SourceLines.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each race-hazard reproducer, forked with the real agent jar on JDK 17 and 25 (memory-segment forms on 25): the
 * hazard's kind, page range, count, both threads and both sites, exactly; and its correct counterpart, with no
 * hazard and no finding. The races that are not hazards of their own (a store racing a force, an unmap or close
 * with unsynced stores, stores into blocks of a grown file) are context of the one finding they leave.
 */
class HazardsIT {
    private static final String M = "dev.daxaudit.samples.";
    private static final String FAILPOINT = "-Ddax-audit.failpoint=hold-first-touch";

    @TempDir
    Path tmp;

    private SampleRun audited(Jdk jdk, String sample, String options, String... jvmArgs) throws Exception {
        SampleRun plain = SampleRun.run(jdk, sample, tmp, null);
        SampleRun run = SampleRun.run(jdk, sample, tmp, options, jvmArgs);
        assertEquals(plain.stdout, run.stdout, "stdout must not change under the agent");
        assertEquals(plain.exitCode, run.exitCode, run.stderr);
        assertEquals(0, run.json().get("agent").get("internalErrors").asLong(), run.stderr);
        return run;
    }

    /** {@code CODE file [start,end) xCOUNT op/thread@Class.method:line op/thread@... [discarded=N]}, one per hazard. */
    private static List<String> hazards(SampleRun run) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode h : run.json().get("hazards")) {
            StringBuilder sb = new StringBuilder(h.get("code").asText()).append(' ')
                    .append(run.dir.relativize(Path.of(h.get("file").asText())))
                    .append(" [").append(h.get("start").asLong()).append(',').append(h.get("end").asLong()).append(')')
                    .append(" x").append(h.get("count").asLong());
            for (JsonNode a : h.get("threads")) {
                sb.append(' ').append(a.get("operation").asText()).append('/').append(a.get("thread").asText())
                        .append('@').append(Findings.site(a.get("site")));
            }
            if (h.has("discardedPages")) {
                sb.append(" discarded=").append(h.get("discardedPages").asLong());
            }
            assertTrue(h.get("explanation").asText().length() > 40, "each hazard explains itself");
            out.add(sb.toString());
        }
        return out;
    }

    private static void assertNoHazard(SampleRun run) throws Exception {
        assertEquals(List.of(), hazards(run));
        assertEquals(0, run.json().get("findings").size(), "a correct program has no finding either");
    }

    private static List<String> findings(SampleRun run) throws Exception {
        return Findings.of(run.json(), run.dir);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h1_truncateUnderALiveMapping(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "TruncateUnderMapping hazard", "");
        assertEquals(List.of("H1 shrunk.dat [8192,16384) x1 map/writer@" + site("TruncateUnderMapping", "lambda$main$0",
                "map") + " truncate/main@" + site("TruncateUnderMapping", "main", "shrink") + " discarded=2"),
                hazards(run));
        assertEquals(List.of(), findings(run), "pages 0-1 were forced; what the truncate discarded is no finding");
        assertNoHazard(audited(jdk, "TruncateUnderMapping correct", ""));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h2_storeBeyondEndOfFileIsRecordedBeforeItFaults(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "StoreBeyondEof hazard", "");
        assertEquals("the store faulted: InternalError\n", run.stdout);
        String shrink = "truncate/shrinker@" + site("StoreBeyondEof", "lambda$main$0", "shrink");
        assertEquals(List.of(
                "H1 eof.dat [4096,8192) x1 map/main@" + site("StoreBeyondEof", "main", "map") + " " + shrink
                        + " discarded=0",
                "H2 eof.dat [4096,8192) x1 " + shrink + " store/main@" + site("StoreBeyondEof", "main", "store")),
                hazards(run));
        assertNoHazard(audited(jdk, "StoreBeyondEof correct", ""));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aStoreRacingAForceIsContextOfTheFindingItLeaves(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "StoreRacingForce hazard", "report=@REPORT@,entries=pte");
        String store = site("StoreRacingForce", "lambda$main$0", "racingStore");
        assertEquals(List.of("UNSYNCED raced.dat [0,4096) sites=[" + store + " x1] threads=[writer] closed@"
                + site("StoreRacingForce", "main", "close") + "/main race=1 store@" + store + "/writer force@"
                + site("StoreRacingForce", "main", "force") + "/main"), findings(run));
        assertEquals(List.of(), hazards(run));
        assertNoHazard(audited(jdk, "StoreRacingForce correct", "report=@REPORT@,entries=pte"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h4_concurrentFirstTouchOfANewBlockUnderGenericDaxZeroing(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "ConcurrentFirstTouch hazard", "report=@REPORT@,model=dax,zeroing=dax-generic",
                FAILPOINT);
        String touch = site("ConcurrentFirstTouch", "lambda$main$0", "touch");
        List<String> found = hazards(run);
        // Which toucher faults first is up to the scheduler; the failpoint only guarantees that the faults overlap.
        assertTrue(found.equals(List.of("H4 fresh.dat [0,4096) x1 first touch/toucher-0@" + touch
                + " first touch/toucher-1@" + touch))
                || found.equals(List.of("H4 fresh.dat [0,4096) x1 first touch/toucher-1@" + touch
                + " first touch/toucher-0@" + touch)), found.toString());
        assertEquals("dax-generic", run.fileSummary("fresh.dat").get("storage").get("zeroing").asText());
        assertNoHazard(audited(jdk, "ConcurrentFirstTouch correct", "report=@REPORT@,model=dax,zeroing=dax-generic"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h4_isOnlyCountedWhenTheFilesystemZeroesNewBlocks(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "ConcurrentFirstTouch hazard", "report=@REPORT@,model=dax", FAILPOINT);
        assertNoHazard(run);
        assertEquals("fs", run.fileSummary("fresh.dat").get("storage").get("zeroing").asText());
        assertEquals(1, run.fileSummary("fresh.dat").get("concurrentFirstTouches").asLong());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void unmapAndCloseWithUnsyncedStoresAreContextOfTheFinding(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "UnmapUnsynced hazard", "");
        assertEquals(List.of("UNSYNCED dropped.dat [0,8192) sites=[" + site("UnmapUnsynced", "lambda$main$0", "write")
                + " x1, " + site("UnmapUnsynced", "lambda$main$0", "write2") + " x1] threads=[writer] unmapped=2@"
                + site("TruncateUnderMapping", "unmap", "invokeCleaner") + "/main closed@"
                + site("UnmapUnsynced", "main", "close") + "/main"), findings(run));
        assertEquals(List.of(), hazards(run));
        assertTrue(run.json().get("findings").get(0).get("explanation").asText()
                .contains("Only an fsync of the file could still have made them durable"));
        assertNoHazard(audited(jdk, "UnmapUnsynced correct", ""));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void storesIntoBlocksOfAGrownFileSayTheAllocationIsNotDurable(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "GrowWithoutSync hazard", "");
        assertEquals(List.of("UNSYNCED grown.dat [8192,12288) sites=[" + site("GrowWithoutSync", "main", "write")
                + " x1] threads=[main] closed@" + site("GrowWithoutSync", "main", "close") + "/main"), findings(run));
        JsonNode newBlocks = run.json().get("findings").get(0).get("newBlocks");
        assertEquals(1, newBlocks.get("metadataNotDurable").asLong());
        assertEquals(0, newBlocks.get("metadataDurableAtFault").asLong());
        assertEquals(List.of(), hazards(run));
        assertNoHazard(audited(jdk, "GrowWithoutSync correct", ""));
    }

    @Test
    void segmentForms() throws Exception {
        Jdk jdk = Jdk.JDK_25;
        SampleRun race = audited(jdk, "SegmentHazards race hazard", "report=@REPORT@,entries=pte");
        String racing = site("SegmentHazards", "lambda$race$0", "racingStore");
        assertEquals(List.of("UNSYNCED race.seg [0,4096) sites=[" + racing + " x1] threads=[writer] closed@"
                + site("SegmentHazards", "main", "close") + "/main race=1 store@" + racing + "/writer force@"
                + site("SegmentHazards", "race", "force") + "/main"), findings(race));
        SampleRun close = audited(jdk, "SegmentHazards close hazard", "");
        assertEquals(List.of("UNSYNCED close.seg [0,8192) sites=[" + site("SegmentHazards", "lambda$close$0",
                "closeWrite") + " x1, " + site("SegmentHazards", "lambda$close$0", "closeWrite2")
                + " x1] threads=[writer] unmapped=2@" + site("SegmentHazards", "close", "arenaClose") + "/main closed@"
                + site("SegmentHazards", "main", "close") + "/main"),
                findings(close));
        SampleRun grow = audited(jdk, "SegmentHazards grow hazard", "");
        assertEquals(List.of("UNSYNCED grow.seg [8192,12288) sites=[" + site("SegmentHazards", "grow", "growWrite")
                + " x1] threads=[main] closed@" + site("SegmentHazards", "main", "close") + "/main"), findings(grow));
        assertEquals(1, grow.json().get("findings").get(0).get("newBlocks").get("metadataNotDurable").asLong());
        for (SampleRun r : List.of(race, close, grow)) {
            assertEquals(List.of(), hazards(r));
        }
        for (String c : List.of("race", "close", "grow")) {
            assertNoHazard(audited(jdk, "SegmentHazards " + c + " correct", "report=@REPORT@,entries=pte"));
        }
    }
}
