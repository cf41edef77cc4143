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
 * hazard's kind, page range, both threads and both sites, exactly; and its correct counterpart, with no hazard.
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

    /** {@code CODE file [start,end) op/thread@Class.method:line op/thread@... finding=N}, one per hazard. */
    private static List<String> hazards(SampleRun run) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode h : run.json().get("hazards")) {
            StringBuilder sb = new StringBuilder(h.get("code").asText()).append(' ')
                    .append(run.dir.relativize(Path.of(h.get("file").asText())))
                    .append(" [").append(h.get("start").asLong()).append(',').append(h.get("end").asLong()).append(')');
            for (JsonNode a : h.get("threads")) {
                sb.append(' ').append(a.get("operation").asText()).append('/').append(a.get("thread").asText())
                        .append('@').append(Findings.site(a.get("site")));
            }
            sb.append(" finding=").append(h.get("finding").isNull() ? "none" : h.get("finding").asInt());
            assertTrue(h.get("explanation").asText().length() > 40, "each hazard explains itself");
            out.add(sb.toString());
        }
        return out;
    }

    private static void assertNoHazard(SampleRun run) throws Exception {
        assertEquals(List.of(), hazards(run));
        assertEquals(0, run.json().get("findings").size(), "a correct program has no finding either");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h1_truncateUnderALiveMapping(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "TruncateUnderMapping hazard", "");
        assertEquals(List.of("H1 shrunk.dat [8192,16384) map/writer@" + site("TruncateUnderMapping", "lambda$main$0", "map")
                + " truncate/main@" + site("TruncateUnderMapping", "main", "shrink") + " finding=0"), hazards(run));
        assertEquals("LOST_AT_TRUNCATE", run.json().get("findings").get(0).get("kind").asText());
        assertNoHazard(audited(jdk, "TruncateUnderMapping correct", ""));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h2_storeBeyondEndOfFileIsRecordedBeforeItFaults(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "StoreBeyondEof hazard", "");
        assertEquals("the store faulted: InternalError\n", run.stdout);
        String shrink = "truncate/shrinker@" + site("StoreBeyondEof", "lambda$main$0", "shrink");
        assertEquals(List.of(
                "H1 eof.dat [4096,8192) map/main@" + site("StoreBeyondEof", "main", "map") + " " + shrink
                        + " finding=none",
                "H2 eof.dat [4096,8192) " + shrink + " store/main@" + site("StoreBeyondEof", "main", "store")
                        + " finding=none"), hazards(run));
        assertNoHazard(audited(jdk, "StoreBeyondEof correct", ""));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h3_storeRacingAForceOnAnotherThread(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "StoreRacingForce hazard", "report=@REPORT@,entries=pte");
        assertEquals(List.of("H3 raced.dat [0,4096) force/main@" + site("StoreRacingForce", "main", "force")
                + " store/writer@" + site("StoreRacingForce", "lambda$main$0", "racingStore") + " finding=none"),
                hazards(run));
        assertNoHazard(audited(jdk, "StoreRacingForce correct", "report=@REPORT@,entries=pte"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h4_concurrentFirstTouchOfANewBlockUnderGenericDaxZeroing(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "ConcurrentFirstTouch hazard", "report=@REPORT@,zeroing=dax-generic", FAILPOINT);
        String touch = site("ConcurrentFirstTouch", "lambda$main$0", "touch");
        List<String> found = hazards(run);
        // Which toucher faults first is up to the scheduler; the failpoint only guarantees that the faults overlap.
        assertTrue(found.equals(List.of("H4 fresh.dat [0,4096) first touch/toucher-0@" + touch
                + " first touch/toucher-1@" + touch + " finding=none"))
                || found.equals(List.of("H4 fresh.dat [0,4096) first touch/toucher-1@" + touch
                + " first touch/toucher-0@" + touch + " finding=none")), found.toString());
        assertEquals("dax-generic", run.json().get("zeroing").asText());
        assertNoHazard(audited(jdk, "ConcurrentFirstTouch correct", "report=@REPORT@,zeroing=dax-generic"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h4_isOnlyCountedWhenTheFilesystemZeroesNewBlocks(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "ConcurrentFirstTouch hazard", "", FAILPOINT);
        assertNoHazard(run);
        assertEquals("fs", run.json().get("zeroing").asText());
        assertEquals(1, run.json().get("files").get(0).get("concurrentFirstTouches").asLong());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h5_unmapAndCloseWithUnsyncedPagesPointAtTheirFinding(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "UnmapUnsynced hazard", "");
        String store = "store/writer@" + site("UnmapUnsynced", "lambda$main$0", "write");
        assertEquals(List.of(
                "H5 dropped.dat [0,8192) " + store + " unmap/main@" + site("TruncateUnderMapping", "unmap", "invokeCleaner")
                        + " finding=0",
                "H5 dropped.dat [0,8192) " + store + " close/main@" + site("UnmapUnsynced", "main", "close") + " finding=0",
                "H6 dropped.dat [0,8192) " + store + " map (READ_WRITE)/main@" + site("UnmapUnsynced", "main", "map")
                        + " finding=0"), hazards(run));
        assertEquals(1, run.json().get("findings").size(), "the data is reported once, by the finding");
        assertNoHazard(audited(jdk, "UnmapUnsynced correct", ""));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h6_storesIntoBlocksAllocatedByTheFaultOfAGrownFile(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "GrowWithoutSync hazard", "");
        String store = "store/main@" + site("GrowWithoutSync", "main", "write");
        List<String> found = hazards(run);
        assertEquals("H6 grown.dat [8192,12288) " + store + " map (READ_WRITE)/main@"
                + site("GrowWithoutSync", "main", "map") + " finding=0", found.get(1));
        JsonNode newBlocks = run.json().get("findings").get(0).get("newBlocks");
        assertEquals(1, newBlocks.get("metadataNotDurable").asLong());
        assertEquals(0, newBlocks.get("metadataDurableAtFault").asLong());
        assertNoHazard(audited(jdk, "GrowWithoutSync correct", ""));
    }

    @Test
    void segmentForms() throws Exception {
        Jdk jdk = Jdk.JDK_25;
        SampleRun race = audited(jdk, "SegmentHazards race hazard", "report=@REPORT@,entries=pte");
        assertEquals(List.of("H3 race.seg [0,4096) force/main@" + site("SegmentHazards", "race", "force")
                + " store/writer@" + site("SegmentHazards", "lambda$race$0", "racingStore") + " finding=none"),
                hazards(race));
        SampleRun close = audited(jdk, "SegmentHazards close hazard", "");
        String store = "store/writer@" + site("SegmentHazards", "lambda$close$0", "closeWrite");
        assertEquals("H5 close.seg [0,8192) " + store + " unmap/main@" + site("SegmentHazards", "close", "arenaClose")
                + " finding=0", hazards(close).get(0));
        SampleRun grow = audited(jdk, "SegmentHazards grow hazard", "");
        assertTrue(hazards(grow).contains("H6 grow.seg [8192,12288) store/main@"
                + site("SegmentHazards", "grow", "growWrite") + " map (READ_WRITE)/main@"
                + site("SegmentHazards", "grow", "growMap") + " finding=0"), hazards(grow).toString());
        for (String c : List.of("race", "close", "grow")) {
            assertNoHazard(audited(jdk, "SegmentHazards " + c + " correct", "report=@REPORT@,entries=pte"));
        }
    }
}
