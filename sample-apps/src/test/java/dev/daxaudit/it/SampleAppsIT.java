package dev.daxaudit.it;

import static dev.daxaudit.it.SourceLines.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every sample app, forked on JDK 17 and JDK 25 with the real shaded agent jar. Each test asserts the report's
 * findings exactly, and that the app printed the same output and exited with the same code as without the agent.
 */
class SampleAppsIT {
    private static final int PAGE = 4096;

    @TempDir
    Path tmp;

    /** Runs the sample with and without the agent; the app's own behaviour must be identical. */
    private SampleRun audited(Jdk jdk, String sample) throws Exception {
        return audited(jdk, sample, "");
    }

    private SampleRun audited(Jdk jdk, String sample, String options, String... jvmArgs) throws Exception {
        SampleRun plain = SampleRun.run(jdk, sample, tmp, null, jvmArgs);
        SampleRun audited = SampleRun.run(jdk, sample, tmp, options, jvmArgs);
        assertEquals(plain.stdout, audited.stdout, "stdout must not change under the agent");
        assertEquals(plain.exitCode, audited.exitCode, "exit code must not change under the agent");
        assertEquals(plain.applicationStderr(), audited.applicationStderr(), "stderr must not change under the agent");
        assertEquals(0, audited.json().get("agent").get("internalErrors").asLong(), audited.json().toString());
        return audited;
    }

    private static void assertFindings(SampleRun run, String... expected) throws Exception {
        JsonNode report = run.json();
        assertEquals(List.of(expected), Findings.of(report, run.dir));
        assertEquals(expected.length, report.get("summary").get("findings").asInt());
        if (expected.length > 0) {
            assertTrue(run.agentLines().get(0).startsWith("dax-audit: " + expected.length + " finding(s)"),
                    run.stderr);
        } else {
            assertEquals(0, report.get("hazards").size(), "a correct program gets no hazard: " + report.get("hazards"));
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void a_logThatForcesEachRecordIsClean(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "ForcedLog", "report=@REPORT@,storedBytes=true");
        assertFindings(run);
        JsonNode log = run.fileSummary("forced.log");
        assertEquals(100, log.get("msyncs").asLong());
        assertEquals(10_000, log.get("bytesStored").asLong());
        assertEquals(0, log.get("unsyncedPages").asLong());
        assertEquals("[0,65536) READ_WRITE x1 at " + site("MappedLog", "<init>", "map"), mapping(log.get("mappings").get(0)));
    }

    /** A store at a mapping's raw address through sun.misc.Unsafe (Netty, Agrona, Chronicle) is seen, with its line. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void a2_storesThroughSunMiscUnsafeAtARawAddressAreSeenWithTheirSite(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "UnsafeStore");
        assertFindings(run, "UNSYNCED unsafe.dat [8192,12288) sites=[" + site("UnsafeStore", "main", "raw")
                + " x1] threads=[main] closed@" + site("UnsafeStore", "main", "close") + "/main");
    }

    /** The hooks on sun.misc.Unsafe stay in compiled code: after 12.8 million compiled stores, every page seen. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void a3_unsafeStoresAreSeenInCompiledLoops(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "UnsafeCompiledLoop");
        List<String> findings = Findings.of(run.json(), run.dir);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).startsWith("UNSYNCED cold.dat [0,262144) sites=["
                + site("UnsafeCompiledLoop", "store", "loop") + " x64] threads=[main]"), findings.get(0));
        assertEquals(0, run.fileSummary("warm.dat").get("unsyncedPages").asLong());
    }

    /**
     * Netty's ByteBuf over a mapping: on JDK 17 (and on 25 when the application allows sun.misc.Unsafe's memory
     * access) Netty writes through sun.misc.Unsafe at the raw address; on 25 by default through the buffer. Either way
     * its unsynced records are one finding with Netty's store sites, and its forced twin is clean.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void a4_aNettyJournalOverAMappingIsAuditedLikeAnyOther(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "NettyJournal unforced");
        assertNettyJournal(run, jdk == Jdk.JDK_17 ? "UnpooledUnsafeDirectByteBuf" : "UnpooledDirectByteBuf");
        assertFindings(audited(jdk, "NettyJournal forced"));
        if (jdk == Jdk.JDK_25) {
            SampleRun unsafe = SampleRun.run(jdk, "NettyJournal unforced", tmp, "", "--sun-misc-unsafe-memory-access=allow");
            assertNettyJournal(unsafe, "UnpooledUnsafeDirectByteBuf");
        }
    }

    private static void assertNettyJournal(SampleRun run, String buffer) throws Exception {
        assertTrue(run.stdout.startsWith(buffer + ": 12096 bytes journalled"), run.stdout);
        List<String> findings = Findings.of(run.json(), run.dir);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).startsWith("UNSYNCED journal.dat [0,12288) sites=["), findings.get(0));
        assertTrue(findings.get(0).contains("io.netty."), "the store sites are Netty's: " + findings.get(0));
        assertEquals(0, run.json().get("agent").get("internalErrors").asLong());
    }

    /** A file forced with no store seen is named, with the tracker that would see its stores; a normal one is not. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void a5_aFileForcedWithNoStoreSeenIsNamed(Jdk jdk) throws Exception {
        SampleRun run = SampleRun.run(jdk, "InternalUnsafeStore", tmp, "",
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
        assertEquals("stored through jdk.internal.misc.Unsafe and forced\n", run.stdout, run.stderr);
        assertEquals(0, run.json().get("findings").size());
        assertTrue(run.stderr.contains("dax-audit: 1 file(s) forced with no store seen, such as "
                + run.dir.resolve("internal.dat") + ": stores by JNI or reflection into jdk.internal.misc.Unsafe are "
                + "invisible to tracking=bytecode; tracking=kernel sees them"), run.stderr);
        assertFalse(SampleRun.run(jdk, "ForcedLog", tmp, "").stderr.contains("no store seen"));
    }

    /**
     * A library that calls jdk.internal.misc.Unsafe itself (built and run with --add-exports): its call sites are
     * rewritten at load time, so a putLong at an address, a putIntRelease with a null base, a copyMemory, a
     * setMemory and a compare-and-set that succeeded are each found with the line that made it, and a
     * compare-and-set that failed (page 5) is not; the twin that forces has no finding. (Reached through
     * reflection, as InternalUnsafeStore does, the store is still unseen: no call site to rewrite.)
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void a5_internalUnsafeCallSitesAreSeenWithTheirLines(Jdk jdk) throws Exception {
        String[] exports = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"};
        SampleRun run = SampleRun.run(jdk, "InternalUnsafeCallSites unsynced", tmp, "", exports);
        assertEquals("stored through jdk.internal.misc.Unsafe call sites: cas true, false, not forced\n", run.stdout,
                run.stderr);
        String sites = String.join(" x1, ", List.of("put-long", "put-int-release", "copy", "set", "cas").stream()
                .map(m -> "dev.daxaudit.samples.InternalUnsafeCallSites.main:"
                        + SourceLines.line("InternalUnsafeCallSites.java", m)).toList());
        List<String> findings = Findings.of(run.json(), run.dir);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).startsWith("UNSYNCED internal-calls.dat [0,20480) sites=[" + sites
                + " x1] threads=[main]"), findings.get(0));
        assertEquals(0, run.json().get("agent").get("internalErrors").asLong());
        SampleRun forced = SampleRun.run(jdk, "InternalUnsafeCallSites forced", tmp, "", exports);
        assertEquals(0, forced.json().get("findings").size(), forced.stderr);
    }

    /** An Agrona-style raw-address buffer of the application's own: its unsynced pages, with each store site. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void a6_aRawAddressBufferOfTheApplicationsOwnIsAudited(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "RawBufferLog unforced");
        List<String> findings = Findings.of(run.json(), run.dir);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).startsWith("UNSYNCED raw.log [0,8192) sites=["), findings.get(0));
        String buffer = "dev.daxaudit.samples.RawBufferLog$RawBuffer.";
        assertTrue(findings.get(0).contains(buffer + "putBytes:" + SourceLines.line("RawBufferLog.java", "raw-copy")
                + " x1"), findings.get(0));
        assertTrue(findings.get(0).contains(buffer + "putInt:" + SourceLines.line("RawBufferLog.java", "raw-int")
                + " x1"), findings.get(0));
        assertFindings(audited(jdk, "RawBufferLog forced"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void b_logThatNeverForcesHasItsPagesAndSiteReported(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "UnforcedLog");
        // Record 0 dirties page 0 with its length prefix; pages 1 and 2 are first reached by record bodies.
        assertFindings(run, "UNSYNCED unforced.log [0,12288) sites=["
                + site("MappedLog", "append", "appendBody") + " x2, "
                + site("MappedLog", "append", "append") + " x1] threads=[main] closed@" + site("MappedLog", "close", "close") + "/main");
        assertEquals(0, run.fileSummary("unforced.log").get("msyncs").asLong());
        assertTrue(run.fileSummary("unforced.log").get("bytesStored").isNull(), "not counted unless storedBytes=true");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void c_forceOfASubRangeMissesTheTail(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "PartialForceLog");
        assertFindings(run, "UNSYNCED partial.log [8192,12288) sites=["
                + site("PartialForceLog", "main", "batch") + " x1] threads=[main] closed@" + site("PartialForceLog", "main", "close") + "/main");
        assertEquals(2 * PAGE, run.fileSummary("partial.log").get("bytesFlushed").asLong());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void d_forceThroughASecondMappingCoversTheFirst(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "TwoMappings");
        assertFindings(run);
        JsonNode shared = run.fileSummary("shared.dat");
        assertEquals(2, shared.get("mappings").size());
        assertEquals(8 * PAGE, shared.get("bytesFlushed").asLong());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void e_privateMappingNeverDirtiesTheFile(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "PrivateMapping");
        assertFindings(run);
        assertEquals("PRIVATE", run.fileSummary("template.dat").get("mappings").get(0).get("mode").asText());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void f_everyStorePathIsAttributedToItsOwnLine(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "StorePaths");
        StringBuilder sites = new StringBuilder();
        for (String marker : List.of("relative", "absolute", "bulk", "view", "slice", "varhandle", "putBuffer",
                "compact", "read", "cas", "viewBulk")) {
            sites.append(sites.length() == 0 ? "" : ", ").append(site("StorePaths", "main", marker)).append(" x1");
        }
        assertFindings(run, "UNSYNCED paths.dat [0," + 11 * PAGE + ") sites=[" + sites + "] threads=[main] closed@" + site("StorePaths", "main", "close") + "/main");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void g_syncMappingRefusalReachesTheAppUnchanged(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "SyncMapping");
        // No DAX mount here: the JDK refuses MAP_SYNC and the app sees the JDK's own exception.
        assertEquals(3, run.exitCode);
        assertTrue(run.stdout.startsWith("map refused: java.io.IOException"), run.stdout);
        assertFindings(run);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h_fsyncThroughOtherDescriptorsWritesBackTheMapping(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "FsyncThroughOtherDescriptors");
        assertFindings(run);
        assertEquals(2, run.fileSummary("fsynced.dat").get("fsyncs").asLong());
    }

    /**
     * One page cache: what write(2) dirtied in a mapped file is unsynced like a store, the mapping's msync over it
     * makes it durable (the header), and the two pages written after that force (RandomAccessFile into the mapped
     * range, FileOutputStream appending past it) are exactly the finding, each with its write's site; the twin that
     * fdatasyncs at the end has none.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void h_pagesWrittenWithWriteIntoAMappedFileAreUnsyncedUntilASyncCoversThem(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "WrittenBesideMapping", "");
        assertFindings(run, "UNSYNCED mixed.dat [8192,12288) [16384,20480) sites=["
                + site("WrittenBesideMapping", "main", "write-raf") + " x1, "
                + site("WrittenBesideMapping", "main", "write-append") + " x1] threads=[main] closed@"
                + site("WrittenBesideMapping", "main", "append-closed") + "/main");
        assertFindings(audited(jdk, "WrittenBesideMapping", "", "-Dwritten.synced=true"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void i_unmapBeforeForceLeavesThePagesUnsyncedWithTheUnmapAsContext(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "UnmapWithoutForce");
        assertFindings(run, "UNSYNCED unmapped.dat [0,8192) sites=["
                + site("UnmapWithoutForce", "main", "write") + " x2] threads=[main] unmapped=2@"
                + site("UnmapWithoutForce", "main", "unmap") + "/main" + " closed@" + site("UnmapWithoutForce", "main", "close") + "/main");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void j_truncateUnderAMappingDiscardsThePagesBeyondTheNewEndAsAHazardNotAFinding(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "TruncateUnsynced");
        String write = site("TruncateUnsynced", "main", "write");
        assertFindings(run,
                "UNSYNCED setlength.dat [4096,8192) sites=[" + write + " x1] threads=[main] closed@" + site("TruncateUnsynced", "main", "close1") + "/main",
                "UNSYNCED truncate.dat [0,4096) sites=[" + site("TruncateUnsynced", "main", "write2")
                        + " x1] threads=[main] closed@" + site("TruncateUnsynced", "main", "close2") + "/main");
        JsonNode hazards = run.json().get("hazards");
        assertEquals(2, hazards.size());
        assertEquals("TRUNCATE_UNDER_MAPPING", hazards.get(0).get("kind").asText());
        assertEquals(2, hazards.get(0).get("discardedPages").asLong());
        assertEquals(Findings.site(hazards.get(0).get("threads").get(1).get("site")),
                site("TruncateUnsynced", "main", "setLength"));
        assertEquals(1, hazards.get(1).get("discardedPages").asLong());
        assertEquals(Findings.site(hazards.get(1).get("threads").get(1).get("site")),
                site("TruncateUnsynced", "main", "truncate"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void k_unmapLeftToTheGarbageCollectorIsContextOfTheFinding(Jdk jdk) throws Exception {
        SampleRun run = audited(jdk, "GcUnmap");
        assertEquals("unmapped by the GC\n", run.stdout);
        List<String> findings = Findings.of(run.json(), run.dir);
        assertEquals(1, findings.size());
        // The cleaner's thread is the Reference Handler or Common-Cleaner, depending on the JDK.
        assertTrue(findings.get(0).startsWith("UNSYNCED forgotten.dat [0,4096) sites=["
                + site("GcUnmap", "writeAndForget", "write") + " x1] threads=[main] unmapped=1@"
                + "(garbage collector).Cleaner:-1/"), findings.get(0));
        assertTrue(findings.get(0).contains(" closed@dev.daxaudit.samples.GcUnmap.writeAndForget:"), findings.get(0));
        JsonNode f = run.fileSummary("forgotten.dat");
        assertEquals(1, f.get("channelCloses").asLong());
        assertEquals(1, f.get("closesWithUnsyncedPages").asLong());
    }

    private static String mapping(JsonNode m) {
        return "[" + m.get("start").asLong() + "," + m.get("end").asLong() + ") " + m.get("mode").asText() + " x"
                + m.get("count").asLong() + " at " + Findings.site(m.get("site"));
    }
}
