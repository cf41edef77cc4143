package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host never breaks, in forked JVMs with the real agent jar: every hook failing on purpose, sixteen threads on
 * shared mappings against the application's own oracle, the agent next to JaCoCo's, and {@code dump} taken again and
 * again while the application works.
 */
class RobustnessIT {
    private static final Path JACOCO = Path.of(System.getProperty("dax.jacoco.jar"));
    private static final Pattern RANGE = Pattern.compile("\\[(\\d+),(\\d+)\\)");
    private static final long PAGE = 4096;

    @TempDir
    Path tmp;

    /**
     * 20,000 live mappings, every other one forced, in a 256 MiB heap: fine alone, fine under the agent, and the
     * report written. Per-file latency histograms are made at a file's first sync and kept at two significant
     * digits with int counts (two default histograms per file took 661 MB), and the report is streamed to its file.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void twentyThousandLiveMappingsInASmallHeapKeepTheApplicationAndTheReport(Jdk jdk) throws Exception {
        SampleRun plain = SampleRun.run(jdk, "ManyMappings 20000 2", tmp, null, "-Xmx256m");
        SampleRun run = SampleRun.run(jdk, "ManyMappings 20000 2", tmp, "report=@REPORT@,formats=json", "-Xmx256m");
        assertEquals(0, plain.exitCode, plain.stderr);
        assertEquals("20000 live mappings\n", plain.stdout);
        assertEquals(plain.exitCode, run.exitCode, run.stderr);
        assertEquals(plain.stdout, run.stdout);
        assertEquals(List.of(), run.agentLines(), "no line: neither an error nor a lost report");
        assertEquals(20_000, run.json().get("summary").get("files").asInt());
        // A budget of 1 MiB keeps the detail of the first 2,048 files (512 bytes each) and summarises the rest;
        // the findings (the 10,000 files never forced) and the latency totals are the same.
        SampleRun tight = SampleRun.run(jdk, "ManyMappings 20000 2", tmp, "report=@REPORT@,formats=json:text,memory=1",
                "-Xmx256m");
        assertEquals(plain.stdout, tight.stdout);
        assertEquals(20_000 - 2_048, tight.json().get("agent").get("detail").get("summarisedFiles").asInt());
        long flagged = 0;
        for (JsonNode file : tight.json().get("files")) {
            flagged += file.path("detail").asText().equals("summarised") ? 1 : 0;
        }
        assertEquals(20_000 - 2_048, flagged);
        assertEquals(findingsByName(run.json()), findingsByName(tight.json()));
        assertEquals(10_000, findingsByName(tight.json()).size());
        assertEquals(10_000, tight.json().get("distributions").get("writebackLatency").get("count").asInt());
        assertEquals(run.json().get("distributions").get("writebackLatency").get("count"),
                tight.json().get("distributions").get("writebackLatency").get("count"));
        assertTrue(tight.stderr.contains("dax-audit: per-file detail (mapping history, page map, latencies) "
                + "summarised for 17952 file(s) past the memory budget of 1 MiB"), tight.stderr);
    }

    /** Each finding as its file's name, pages and sites: what must not depend on the memory budget. */
    private static java.util.Set<String> findingsByName(JsonNode report) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (JsonNode f : report.get("findings")) {
            out.add(Path.of(f.get("file").asText()).getFileName() + " " + f.get("ranges").size() + " "
                    + f.get("pages") + " " + f.get("sites"));
        }
        return out;
    }

    /**
     * A program that ends with its heap full of its own live data (64 KiB left of 64 MiB, a serial heap that leaves
     * exactly that, or full to its last bytes): the JDK needs room to run shutdown hooks at all, and
     * java.lang.instrument's class file hook copies every class loaded at exit into the heap. The heap the agent held
     * from its start is given back where shutdown begins (Shutdown.runHooks), or where a thread ends with the heap
     * nearly full (Thread.exit: full to the last bytes, the main thread's own exit fails before shutdown begins, and
     * JDK 17 then exited 0 with no report even under failOnFindings), so the report is written, failOnFindings exits
     * 77, and the JVM prints no JPLIS assertion (ending normally). Before, the report was lost in every run (exit 77
     * without one, or 0 on JDK 17) with four such lines on JDK 17. Three runs each, ending normally and by an
     * uncaught OutOfMemoryError.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aHeapFullAtExitStillGetsItsReportAndItsExitStatus(Jdk jdk) throws Exception {
        String[] heap = {"-Xmx64m", "-XX:+UseSerialGC"};
        for (String left : List.of("64", "0")) { // 64 KiB left, or full to its last bytes
            for (String end : List.of("", " uncaught")) {
                String sample = "FullHeapAtExit " + left + end;
                SampleRun plain = SampleRun.run(jdk, sample, tmp, null, heap);
                assertEquals(end.isEmpty() ? 0 : 1, plain.exitCode, plain.stderr);
                for (int i = 0; i < 3; i++) {
                    SampleRun run = SampleRun.run(jdk, sample, tmp, "report=@REPORT@,failOnFindings=true", heap);
                    assertEquals(77, run.exitCode, sample + ": " + run.stderr);
                    if (end.isEmpty()) {
                        // An uncaught OutOfMemoryError is printed by the dying main thread before shutdown begins,
                        // and the classes that takes can still fail java.lang.instrument's copy (seen once in 12
                        // runs).
                        assertFalse(run.stderr.contains("ASSERTION FAILED"), sample + ": " + run.stderr);
                    }
                    assertEquals(1, run.json().get("findings").size(), run.stderr);
                    assertEquals(plain.stdout, run.stdout);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void everyHookFailingOnPurposeLeavesTheApplicationUnchangedAndIsCounted(Jdk jdk) throws Exception {
        SampleRun plain = SampleRun.run(jdk, "EveryHook", tmp, null);
        assertEquals(0, plain.exitCode, plain.stderr);
        for (String hook : List.of("map", "store", "fault", "force", "fsync", "unmap", "truncate", "close",
                "report")) {
            SampleRun run = SampleRun.run(jdk, "EveryHook", tmp, "", "-Ddax-audit.failpoint=" + hook);
            assertEquals(plain.stdout, run.stdout, hook);
            assertEquals(plain.exitCode, run.exitCode, hook + ": " + run.stderr);
            assertEquals(plain.applicationStderr(), run.applicationStderr(), hook);
            JsonNode report;
            if (hook.equals("report")) {
                Matcher m = Pattern.compile("wrote it to (\\S+)$", Pattern.MULTILINE).matcher(run.stderr);
                assertTrue(m.find(), run.stderr);
                report = run.json(Path.of(m.group(1)));
                Files.delete(Path.of(m.group(1)));
            } else {
                report = run.json();
            }
            JsonNode agent = report.get("agent");
            assertTrue(agent.get("internalErrors").asLong() >= 1, hook + ": the error is counted");
            assertTrue(agent.get("internalErrorSamples").get(0).asText().contains("failpoint dax-audit.failpoint="
                    + hook), hook + ": " + agent.get("internalErrorSamples"));
        }
    }

    /** The stress under the store hooks on both JDKs, and under the kernel tracker on JDK 25. */
    static Stream<Arguments> trackers() {
        return Stream.of(Arguments.of(Jdk.JDK_17, "bytecode"), Arguments.of(Jdk.JDK_25, "bytecode"),
                Arguments.of(Jdk.JDK_25, "kernel"));
    }

    @ParameterizedTest
    @MethodSource("trackers")
    void sixteenThreadsOnSharedMappingsLoseNoUnsyncedPage(Jdk jdk, String tracker) throws Exception {
        SampleRun run = SampleRun.run(jdk, "SharedMappingStress 400", tmp, "report=@REPORT@,tracking=" + tracker);
        assertEquals(0, run.exitCode, run.stderr);
        JsonNode report = run.json();
        if (!tracker.equals(report.get("agent").get("tracker").asText())) {
            abort(run.agentLines().get(0) + ": skipped");
        }
        assertEquals(0, report.get("agent").get("internalErrors").asLong(), run.stderr);
        BitSet must = pages(run.stdout.lines().filter(l -> l.startsWith("must")).findFirst().orElseThrow());
        BitSet reported = new BitSet();
        for (JsonNode f : report.get("findings")) {
            for (JsonNode r : f.get("ranges")) {
                reported.set((int) (r.get("start").asLong() / PAGE), (int) (r.get("end").asLong() / PAGE));
            }
        }
        assertTrue(must.cardinality() > 0, "the run must leave something unsynced to check");
        BitSet lost = (BitSet) must.clone();
        lost.andNot(reported);
        assertTrue(lost.isEmpty(), "pages stored after their last covering force that the report lost: " + lost);
    }

    private static BitSet pages(String ranges) {
        BitSet pages = new BitSet();
        Matcher m = RANGE.matcher(ranges);
        while (m.find()) {
            pages.set((int) (Long.parseLong(m.group(1)) / PAGE), (int) (Long.parseLong(m.group(2)) / PAGE));
        }
        return pages;
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void nextToJacocoInEitherOrderTheFindingsAreTheSame(Jdk jdk) throws Exception {
        for (String sample : List.of("UnforcedLog", "TruncateUnsynced")) {
            SampleRun alone = SampleRun.run(jdk, sample, tmp, "");
            List<String> expected = withoutGcUnmaps(Findings.of(alone.json(), alone.dir));
            String jacoco = "-javaagent:" + JACOCO + "=destfile=";
            SampleRun after = SampleRun.run(jdk, sample, tmp, "", jacoco + tmp.resolve(sample + "-after.exec"));
            SampleRun before = withJacocoFirst(jdk, sample, tmp.resolve(sample + "-before.exec"));
            for (SampleRun run : List.of(after, before)) {
                assertEquals(alone.stdout, run.stdout, run.stderr);
                assertEquals(alone.exitCode, run.exitCode, run.stderr);
                assertEquals(expected, withoutGcUnmaps(Findings.of(run.json(), run.dir)), sample);
                assertEquals(0, run.json().get("agent").get("internalErrors").asLong(), run.stderr);
            }
            assertTrue(Files.size(tmp.resolve(sample + "-after.exec")) > 0, "JaCoCo recorded coverage");
            assertTrue(Files.size(tmp.resolve(sample + "-before.exec")) > 0, "JaCoCo recorded coverage");
        }
    }

    /**
     * Findings without an unmap by the garbage collector's cleaner: when the GC runs and unmaps a dropped buffer is
     * up to the GC, and a second agent in the JVM changes when it runs.
     */
    private static List<String> withoutGcUnmaps(List<String> findings) {
        List<String> out = new ArrayList<>();
        for (String f : findings) {
            out.add(f.replaceAll(" unmapped=\\d+@\\(garbage collector\\)\\S*/[^@]*?(?= closed@| race=|$)", ""));
        }
        return out;
    }

    /** JaCoCo's agent first on the command line, then dax-audit's. */
    private SampleRun withJacocoFirst(Jdk jdk, String sample, Path exec) throws Exception {
        Path dir = Files.createTempDirectory(tmp, sample + "-jacoco-first");
        Path report = dir.resolve("report.json");
        Process p = new ProcessBuilder(jdk.java().toString(), "-javaagent:" + JACOCO + "=destfile=" + exec,
                "-javaagent:" + SampleRun.AGENT_JAR + "=tracking=bytecode,report=" + report, "-cp", SampleRun.SAMPLE_CLASSES.toString(),
                "dev.daxaudit.samples." + sample, dir.toString()).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return SampleRun.finished(dir, p.exitValue(), report);
    }

    @Test
    void dumpAgainAndAgainWhileTheApplicationWorksOnSixteenThreads() throws Exception {
        Jdk jdk = Jdk.JDK_25;
        SampleRun.Started app = SampleRun.start(jdk, "SharedMappingStress until-stop", tmp, "");
        app.awaitLine("started");
        String pid = Long.toString(app.process.pid());
        List<Path> dumps = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path dump = tmp.resolve("dump-" + i + ".json");
            Process cli = new ProcessBuilder(jdk.java().toString(), "-jar", SampleRun.AGENT_JAR.toString(), "dump", pid,
                    "--out", dump.toString()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("dump-" + i + ".txt").toFile()).start();
            assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, cli.exitValue(), Files.readString(tmp.resolve("dump-" + i + ".txt")));
            dumps.add(dump);
        }
        Files.writeString(app.dir.resolve("stop"), "");
        SampleRun run = app.finish();
        assertEquals(0, run.exitCode, run.stderr);
        for (Path dump : dumps) {
            JsonNode report = run.json(dump);
            assertEquals("dump", report.get("reason").asText());
            assertEquals(0, report.get("agent").get("internalErrors").asLong(), dump.toString());
        }
        assertEquals(0, run.json().get("agent").get("internalErrors").asLong(), run.stderr);
    }
}
