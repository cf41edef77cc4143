package dev.daxaudit.it;

import static dev.daxaudit.it.SourceLines.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory-segment mappings (FFM, JDK 22+): every segment sample forked on JDK 25 with the real agent jar, findings
 * asserted exactly; and a MappedByteBuffer sample on JDK 17, where the FFM hooks match nothing and say nothing.
 */
class MemorySegmentIT {
    private static final long PAGE = 4096;

    @TempDir
    Path tmp;

    private SampleRun audited(String sample, String options) throws Exception {
        SampleRun plain = SampleRun.run(Jdk.JDK_25, sample, tmp, null);
        SampleRun audited = SampleRun.run(Jdk.JDK_25, sample, tmp, options);
        assertEquals(plain.stdout, audited.stdout, "stdout must not change under the agent");
        assertEquals(plain.exitCode, audited.exitCode, "exit code must not change under the agent: " + audited.stderr);
        assertEquals(plain.applicationStderr(), audited.applicationStderr());
        JsonNode agent = audited.json().get("agent");
        assertEquals(0, agent.get("internalErrors").asLong(), agent.toString());
        assertTrue(agent.get("memorySegments").asBoolean());
        return audited;
    }

    private static void assertFindings(SampleRun run, String... expected) throws Exception {
        assertEquals(List.of(expected), Findings.of(run.json(), run.dir));
        if (expected.length == 0) {
            assertEquals(0, run.json().get("hazards").size(), "a correct program gets no hazard");
        }
    }

    @Test
    void recordStoreThatForcesEachRecordIsClean() throws Exception {
        SampleRun run = audited("SegmentRecordStore", "");
        assertFindings(run);
        assertEquals(100, run.fileSummary("records.seg").get("msyncs").asLong());
        assertEquals(0, run.fileSummary("records.seg").get("mappings").get(0).get("live").asLong(), "arena closed");
    }

    @Test
    void recordStoreWithoutForceHasItsPagesAndSitesReported() throws Exception {
        SampleRun run = audited("SegmentRecordStoreNoForce", "");
        assertFindings(run, "UNSYNCED records.seg [0,12288) sites=["
                + site("SegmentLog", "append", "body") + " x2, " + site("SegmentLog", "append", "header")
                + " x1] threads=[main] closed@" + site("SegmentLog", "close", "close") + "/main");
    }

    @Test
    void closingTheArenaBeforeAForceLeavesThePagesUnsyncedWithTheCloseAsContext() throws Exception {
        SampleRun run = audited("ArenaCloseWithoutForce", "");
        assertFindings(run, "UNSYNCED closed.seg [0,8192) sites=["
                + site("ArenaCloseWithoutForce", "main", "write") + " x2] threads=[main] unmapped=2@"
                + site("ArenaCloseWithoutForce", "main", "close") + "/main" + " closed@" + site("ArenaCloseWithoutForce", "main", "channelClose") + "/main");
    }

    @Test
    void segmentOfAnAutomaticArenaCollectedByTheGcHasThatUnmapAsContext() throws Exception {
        SampleRun run = audited("AutoArenaUnmap", "");
        assertEquals("unmapped by the GC\n", run.stdout);
        List<String> findings = Findings.of(run.json(), run.dir);
        assertEquals(1, findings.size());
        assertTrue(findings.get(0).startsWith("UNSYNCED auto.seg [0,4096) sites=["
                + site("AutoArenaUnmap", "writeAndForget", "write") + " x1] threads=[main] unmapped=1@"
                + "(garbage collector).Cleaner:-1/"), findings.get(0));
    }

    @Test
    void storeThroughAReinterpretAliasIsAttributedToTheMappedFile() throws Exception {
        SampleRun run = audited("ReinterpretAlias", "");
        assertFindings(run, "UNSYNCED alias.seg [4096,8192) sites=["
                + site("ReinterpretAlias", "main", "alias") + " x1] threads=[main] closed@" + site("ReinterpretAlias", "main", "close") + "/main");
    }

    @Test
    void storeThroughAsByteBufferIsAttributedToTheMappedFile() throws Exception {
        SampleRun run = audited("AsByteBufferWriter", "");
        assertFindings(run, "UNSYNCED bridge.seg [8192,12288) sites=["
                + site("AsByteBufferWriter", "main", "buffer") + " x1] threads=[main] closed@" + site("AsByteBufferWriter", "main", "close") + "/main");
    }

    @Test
    void bufferAndSegmentOfOneFileShareOneDirtyIndex() throws Exception {
        SampleRun run = audited("MixedBufferAndSegment", "");
        assertFindings(run, "UNSYNCED mixed.dat [8192,12288) sites=["
                + site("MixedBufferAndSegment", "main", "unforced") + " x1] threads=[main] closed@" + site("MixedBufferAndSegment", "main", "close") + "/main");
        JsonNode mixed = run.fileSummary("mixed.dat");
        assertEquals(2, mixed.get("msyncs").asLong());
        assertEquals(2 * PAGE, mixed.get("bytesFlushed").asLong());
    }

    @Test
    void wholeMappingOfA64GiBSparseFile() throws Exception {
        // entries=pte: whether the kernel places a 64 GiB mapping on a 2 MiB boundary varies between machines,
        // and with it whether fs/dax.c would use PMD entries. PTE entries make the expected pages exact.
        SampleRun run = audited("LargeSparseSegment", "report=@REPORT@,entries=pte");
        long at40 = 40L << 30;
        long last = (64L << 30) - PAGE;
        assertFindings(run, "UNSYNCED sparse.seg [" + at40 + "," + (at40 + PAGE) + ") [" + last + ","
                + (last + PAGE) + ") sites=[" + site("LargeSparseSegment", "main", "write") + " x2] threads=[main] closed@" + site("LargeSparseSegment", "main", "close") + "/main");
        JsonNode sparse = run.fileSummary("sparse.seg");
        assertEquals(64L << 30, sparse.get("size").asLong());
        assertEquals(64L << 30, sparse.get("mappings").get(0).get("end").asLong());
    }

    @Test
    void everySegmentStorePathIsAttributedToItsOwnLine() throws Exception {
        SampleRun run = audited("SegmentStorePaths", "");
        List<String> sites = new ArrayList<>();
        for (String marker : List.of("unaligned", "atIndex", "layoutPath", "getAndAdd", "cas", "copySegment",
                "copyArray", "copyFrom", "fill", "setString", "slice")) {
            sites.add(site("SegmentStorePaths", "main", marker) + " x1");
        }
        assertFindings(run, "UNSYNCED paths.seg [0," + 11 * PAGE + ") sites=" + sites + " threads=[main] closed@" + site("SegmentStorePaths", "main", "close") + "/main");
    }

    @Test
    void onJdk17TheSegmentHooksMatchNothingAndSayNothing() throws Exception {
        SampleRun plain = SampleRun.run(Jdk.JDK_17, "UnforcedLog", tmp, null);
        SampleRun run = SampleRun.run(Jdk.JDK_17, "UnforcedLog", tmp, "");
        assertEquals(plain.stdout, run.stdout);
        assertEquals(plain.applicationStderr(), run.applicationStderr());
        JsonNode agent = run.json().get("agent");
        assertFalse(agent.get("memorySegments").asBoolean());
        assertEquals(0, agent.get("internalErrors").asLong(), agent.toString());
        assertEquals(1, run.json().get("findings").size());
        // Only the summary of the one finding: nothing about FFM, on stderr or elsewhere.
        assertTrue(run.agentLines().stream().noneMatch(l -> l.contains("MemorySegment") || l.contains("Arena")),
                run.stderr);
    }
}
