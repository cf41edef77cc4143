package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tracking=kernel} (userfaultfd write-protect + PAGEMAP_SCAN, no store hook) against the store hooks, on
 * JDK 25: every sample the other tests run, under both trackers, must give the same findings (files, page ranges,
 * unmap and close context) and the same hazards; only the store sites and threads differ, and the report says so.
 * Skipped, with the kernel's reason, where the kernel refuses userfaultfd. The sixteen-thread stress, whose pages
 * differ from run to run, is checked against its own oracle under both trackers in {@link RobustnessIT}.
 */
class KernelTrackerIT {
    /** Sample and arguments, and extra options; hazards the kernel cannot see (H2, H4, races) are left out. */
    private static final String[][] SAMPLES = {
        {"UnforcedLog", ""}, {"ForcedLog", ""}, {"PartialForceLog", ""}, {"TwoMappings", ""}, {"PrivateMapping", ""},
        {"StorePaths", ""}, {"SyncMapping", ""}, {"FsyncThroughOtherDescriptors", ""}, {"UnmapWithoutForce", ""},
        {"TruncateUnsynced", ""}, {"GcUnmap", ""}, {"UnmapUnsynced hazard", ""}, {"UnmapUnsynced correct", ""},
        {"GrowWithoutSync hazard", ""}, {"GrowWithoutSync correct", ""}, {"TruncateUnderMapping hazard", ""},
        {"TruncateUnderMapping correct", ""}, {"StoreRacingForce correct", ",entries=pte"},
        {"PreallocatedIndex trim", ""}, {"PreallocatedIndex trim", ",model=dax"},
        {"PreallocatedIndex trim-last-unforced", ",model=dax"}, {"PreallocatedIndex live-trim", ""},
        {"CommitLog clean", ""}, {"CommitLog exit-before-final-force", ",model=dax"}, {"WindowedStore", ""},
        {"SegmentRecordStore", ""}, {"SegmentRecordStoreNoForce", ""}, {"ArenaCloseWithoutForce", ""},
        {"AutoArenaUnmap", ""}, {"ReinterpretAlias", ""}, {"AsByteBufferWriter", ""}, {"MixedBufferAndSegment", ""},
        {"LargeSparseSegment", ",entries=pte"}, {"SegmentStorePaths", ""}, {"SegmentHazards grow hazard", ""},
        {"SegmentHazards close hazard", ""}, {"NettyJournal unforced", ""}, {"NettyJournal forced", ""},
        {"RawBufferLog unforced", ""}, {"RawBufferLog forced", ""},
    };

    @TempDir
    static Path tmp;

    @BeforeAll
    static void kernelTrackerAvailable() throws Exception {
        SampleRun probe = SampleRun.run(Jdk.JDK_25, "ForcedLog", tmp, "report=@REPORT@,tracking=kernel");
        for (String line : probe.agentLines()) {
            if (line.startsWith("dax-audit: tracking=kernel is not available here")) {
                abort(line + ": kernel tracker tests skipped");
            }
        }
    }

    static Stream<String[]> samples() {
        return Stream.of(SAMPLES);
    }

    private static SampleRun run(String sample, String options, String... jvmArgs) throws Exception {
        SampleRun run = SampleRun.run(Jdk.JDK_25, sample, tmp, "report=@REPORT@" + options, jvmArgs);
        assertEquals(0, run.json().get("agent").get("internalErrors").asLong(), run.stderr);
        return run;
    }

    /**
     * Findings without the store sites and threads, which only the store hooks know, and without an unmap by the
     * garbage collector, which happens in one run and not in another.
     */
    private static List<String> pages(SampleRun run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String f : Findings.of(run.json(), run.dir)) {
            out.add(f.replaceFirst(" sites=\\[[^\\]]*\\] threads=\\[[^\\]]*\\]", "")
                    .replaceFirst(" unmapped=\\d+@\\(garbage collector\\)[^ ]*( Handler)?", ""));
        }
        return out;
    }

    private static List<String> hazards(SampleRun run) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode h : run.json().get("hazards")) {
            out.add(h.get("code").asText() + " " + run.dir.relativize(Path.of(h.get("file").asText())) + " ["
                    + h.get("start").asLong() + "," + h.get("end").asLong() + ") x" + h.get("count").asLong());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}{1}")
    @MethodSource("samples")
    void theKernelReportsTheSamePagesAsTheStoreHooks(String sample, String options) throws Exception {
        SampleRun hooks = run(sample, ",tracking=bytecode" + options);
        SampleRun kernel = run(sample, ",tracking=kernel,sites=faults" + options);
        assertEquals(hooks.exitCode, kernel.exitCode, kernel.stderr);
        assertEquals(hooks.stdout, kernel.stdout);
        assertEquals("bytecode", hooks.json().get("agent").get("tracker").asText());
        assertEquals("kernel", kernel.json().get("agent").get("tracker").asText());
        assertEquals(pages(hooks), pages(kernel));
        assertEquals(hazards(hooks), hazards(kernel));
        // Sampled write faults name threads: the store hooks' own, where a sample was taken.
        java.util.Set<String> hookThreads = new java.util.TreeSet<>();
        hooks.json().get("findings").forEach(f -> f.get("threads").forEach(t -> hookThreads.add(t.asText())));
        hookThreads.add("(unknown: tracking=kernel)");
        for (JsonNode f : kernel.json().get("findings")) {
            assertFalse(f.get("storeSitesKnown").asBoolean(), f.toString());
            assertTrue(List.of("method", "unknown").contains(f.get("storeSitePrecision").asText()), f.toString());
            f.get("threads").forEach(t -> assertTrue(hookThreads.contains(t.asText()), t + " not in " + hookThreads));
            assertTrue(f.get("explanation").asText().contains("tracking=kernel"), f.toString());
        }
        assertFalse(kernel.stderr.contains("names no store code"), kernel.stderr);
        assertTrue(kernel.json().get("agent").get("cannotSee").get(0).asText().startsWith("the source lines of stores"));
        for (JsonNode f : hooks.json().get("findings")) {
            assertTrue(f.get("storeSitesKnown").asBoolean(), f.toString());
        }
        // No store hook at all: the JDK's store paths are left as they are.
        assertFalse(kernel.json().get("agent").get("hookedTypes").toString().contains("ScopedMemoryAccess"),
                kernel.json().get("agent").toString());
        assertTrue(hooks.json().get("agent").get("hookedTypes").toString().contains("ScopedMemoryAccess"));
        // Native access was enabled for the tracker's module alone: a sample that calls a restricted method itself
        // still gets the JDK's warning, and the tracker adds none.
        assertEquals(hooks.applicationStderr(), kernel.applicationStderr());
    }

    /** A raw Unsafe store is a finding under both trackers; the kernel's names the mapping's site. */
    @Test
    void storesThroughUnsafeAreSeenByBothTrackers() throws Exception {
        assertEquals(List.of("UNSYNCED unsafe.dat [8192,12288)"), pages(run("UnsafeStore", ",tracking=bytecode"))
                .stream().map(p -> p.substring(0, p.indexOf(')') + 1)).toList());
        SampleRun kernel = run("UnsafeStore", ",tracking=kernel");
        assertEquals(List.of("UNSYNCED unsafe.dat [8192,12288) closed@"
                + Findings.actor(kernel.json().get("findings").get(0).get("closed"))), pages(kernel));
        // The mapping's site stands in for the store's.
        JsonNode site = kernel.json().get("findings").get(0).get("sites").get(0);
        assertEquals("dev.daxaudit.samples.UnsafeStore.main", site.get("className").asText() + "."
                + site.get("method").asText());
        assertTrue(kernel.json().get("agent").get("cannotSee").toString().contains("code sites and threads"));
        // Without sites=faults nothing is sampled: the mapping's site and no thread.
        assertEquals("unknown", kernel.json().get("findings").get(0).get("storeSitePrecision").asText());
        assertEquals("[\"(unknown: tracking=kernel)\"]", kernel.json().get("findings").get(0).get("threads").toString());
    }

    /**
     * Sites without a store hook: the kernel samples the write fault of each page the tracker write-protected, and
     * the JIT's code map names the compiled method that faulted. A loop compiled before it stores into a second
     * mapping is named by its method (the hooks name its line); stores in interpreted code, whose faults land in
     * the JVM's own code, keep the mapping's site and name their thread.
     */
    @Test
    void sampledWriteFaultsNameTheCompiledMethodAndTheThread() throws Exception {
        SampleRun hooks = run("UnsafeCompiledLoop", ",tracking=bytecode");
        SampleRun kernel = run("UnsafeCompiledLoop", ",tracking=kernel,sites=faults");
        assertEquals(pages(hooks), pages(kernel));
        JsonNode hooked = hooks.json().get("findings").get(0);
        JsonNode sampled = kernel.json().get("findings").get(0);
        assertEquals("line", hooked.get("storeSitePrecision").asText());
        assertEquals("method", sampled.get("storeSitePrecision").asText(), sampled.toString());
        assertEquals("[{\"className\":\"dev.daxaudit.samples.UnsafeCompiledLoop\",\"method\":\"store\","
                + "\"fileName\":null,\"line\":-1,\"count\":64}]", sampled.get("sites").toString());
        assertEquals("dev.daxaudit.samples.UnsafeCompiledLoop.store", hooked.get("sites").get(0).get("className")
                .asText() + "." + hooked.get("sites").get(0).get("method").asText());
        assertEquals("[\"main\"]", sampled.get("threads").toString());
        assertTrue(kernel.json().get("agent").get("cannotSee").get(0).asText().startsWith("the source lines of stores"));

        SampleRun interpreted = run("UnforcedLog", ",tracking=kernel,sites=faults");
        JsonNode finding = interpreted.json().get("findings").get(0);
        assertEquals("unknown", finding.get("storeSitePrecision").asText(), finding.toString());
        assertEquals("[\"main\"]", finding.get("threads").toString());
        assertEquals("dev.daxaudit.samples.MappedLog.<init>", finding.get("sites").get(0).get("className").asText()
                + "." + finding.get("sites").get(0).get("method").asText());

        // A thread that stored and ended before anything collected its pages is named by the kernel's record of
        // its naming (its /proc entry is gone by then).
        SampleRun ended = run("UnmapUnsynced hazard", ",tracking=kernel,sites=faults");
        JsonNode dropped = ended.json().get("findings").get(0);
        assertEquals("[\"writer\"]", dropped.get("threads").toString(), dropped.toString());
        assertEquals("unknown", dropped.get("storeSitePrecision").asText());
    }

    /** Native access is enabled for the tracker's own module only: a JVM that denies it to the class path still works. */
    @Test
    void worksWhenTheCommandLineDeniesNativeAccess() throws Exception {
        SampleRun run = run("UnforcedLog", ",tracking=kernel", "--illegal-native-access=deny");
        assertEquals(0, run.exitCode, run.stderr);
        assertEquals("kernel", run.json().get("agent").get("tracker").asText());
        assertEquals(1, run.json().get("findings").size());
        assertEquals("", run.applicationStderr());
    }

    /**
     * {@code tracking=auto} is the default: on JDK 25 here the kernel tracker runs, and the report and the summary
     * say so; the buggy sample is found with the same pages as the hooks find, its correct twin is clean, and a
     * store through {@code Unsafe} at a mapping's raw address is found too.
     */
    @Test
    void theDefaultIsTheKernelTrackerWhereItWorks() throws Exception {
        SampleRun run = SampleRun.runWithDefaultTracker(Jdk.JDK_25, "UnforcedLog", tmp, "report=@REPORT@");
        assertEquals("kernel", run.json().get("agent").get("tracker").asText());
        assertEquals("tracking=auto: the kernel tracker works here", run.json().get("agent").get("trackerChoice")
                .asText());
        assertEquals(pages(run("UnforcedLog", ",tracking=bytecode")), pages(run));
        assertTrue(run.agentLines().contains("dax-audit: stores tracked by the kernel (tracking=auto: the kernel "
                + "tracker works here): findings name no source line, and stores racing a force, H2 and H4 go unseen; "
                + "tracking=bytecode sees them"), run.stderr);
        assertTrue(run.agentLines().stream().allMatch(l -> l.length() < 200), run.stderr);
        SampleRun twin = SampleRun.runWithDefaultTracker(Jdk.JDK_25, "ForcedLog", tmp, "report=@REPORT@");
        assertEquals("kernel", twin.json().get("agent").get("tracker").asText());
        assertEquals(0, twin.json().get("findings").size(), twin.stderr);
        SampleRun raw = SampleRun.runWithDefaultTracker(Jdk.JDK_25, "UnsafeStore", tmp, "report=@REPORT@");
        assertEquals(pages(run("UnsafeStore", ",tracking=kernel")), pages(raw));
        // Naming auto is the same as the default.
        SampleRun named = run("UnforcedLog", ",tracking=auto,formats=json");
        assertEquals("kernel", named.json().get("agent").get("tracker").asText());
        assertEquals(List.of(), named.agentLines());
    }

    /**
     * {@code auto} keeps the store hooks where crash states are recorded: they journal each store as it is made.
     * The crash journal is still written, and the report says why the hooks ran.
     */
    @Test
    void theDefaultKeepsTheStoreHooksForCrashStates() throws Exception {
        Path journal = tmp.resolve("auto-crash.journal");
        SampleRun run = SampleRun.runWithDefaultTracker(Jdk.JDK_25, "UnforcedLog", tmp,
                "report=@REPORT@,formats=json,crash=" + journal);
        assertEquals("bytecode", run.json().get("agent").get("tracker").asText());
        assertEquals("tracking=auto: the store hooks record crash states store by store",
                run.json().get("agent").get("trackerChoice").asText());
        assertEquals("line", run.json().get("findings").get(0).get("storeSitePrecision").asText());
        assertTrue(java.nio.file.Files.size(journal) > 0);
    }

    /** On JDK 17 (no FFM API) the agent says why in one line and audits with the store hooks. */
    @Test
    void fallsBackToTheStoreHooksWithOneLine() throws Exception {
        SampleRun run = SampleRun.run(Jdk.JDK_17, "UnforcedLog", tmp, "report=@REPORT@,tracking=kernel,formats=json");
        assertEquals(List.of("dax-audit: tracking=kernel is not available here (needs JDK 22+ (the FFM API), this is "
                + "JDK 17); using the store hooks"), run.agentLines());
        assertEquals("bytecode", run.json().get("agent").get("tracker").asText());
        assertEquals(1, run.json().get("findings").size());
        SampleRun auto = SampleRun.run(Jdk.JDK_17, "UnforcedLog", tmp, "report=@REPORT@,tracking=auto,formats=json");
        assertEquals(List.of(), auto.agentLines());
        assertEquals("bytecode", auto.json().get("agent").get("tracker").asText());
        // The default is auto: the summary says which tracker ran and why, and the sites keep their lines.
        SampleRun byDefault = SampleRun.runWithDefaultTracker(Jdk.JDK_17, "UnforcedLog", tmp, "report=@REPORT@");
        String why = "tracking=auto: the kernel tracker is not available here (needs JDK 22+ (the FFM API), this is "
                + "JDK 17)";
        assertEquals(why, byDefault.json().get("agent").get("trackerChoice").asText());
        assertTrue(byDefault.agentLines().contains("dax-audit: stores tracked by the store hooks (" + why + ")"),
                byDefault.stderr);
        assertEquals("line", byDefault.json().get("findings").get(0).get("storeSitePrecision").asText());
        assertEquals(0, SampleRun.runWithDefaultTracker(Jdk.JDK_17, "ForcedLog", tmp, "report=@REPORT@").json()
                .get("findings").size());
    }

    @Test
    void aBadTrackingValueIsOneLine() throws Exception {
        SampleRun run = SampleRun.run(Jdk.JDK_25, "UnforcedLog", tmp, "tracking=hooks");
        assertEquals(List.of("dax-audit: bad value 'hooks' for option 'tracking' (expected bytecode, kernel or auto); "
                + "running unaudited"), run.agentLines());
        assertEquals(0, run.exitCode);
    }

    @Test
    void theJfrRecordingNamesTheTracker() throws Exception {
        Path jfr = tmp.resolve("kernel.jfr");
        run("UnforcedLog", ",tracking=kernel", "-XX:StartFlightRecording=filename=" + jfr);
        List<String> trackers = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().equals("dev.daxaudit.Map")) {
                trackers.add(e.getString("tracker"));
            }
        }
        assertEquals(List.of("kernel"), trackers);
    }
}
