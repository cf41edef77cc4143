package dev.daxaudit.it;

import static dev.daxaudit.it.SourceLines.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code dax-audit attach <pid>} and {@code dax-audit dump <pid>} against a running JVM, with the real jar. */
class AttachIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private int cli(Jdk jdk, String... args) throws Exception {
        return run(jdk, args).status();
    }

    private record Result(int status, String output) {
    }

    private Result run(Jdk jdk, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-jar", SampleRun.AGENT_JAR.toString()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("cli-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), Files.readString(out));
    }

    /** Output lines without the JVM's notice that an agent was loaded dynamically (JDK 21+). */
    private static List<String> lines(Result r) {
        return r.output().lines().filter(l -> l.startsWith("dax-audit:")).toList();
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void attachAndDumpSayWhatReallyHappenedInTheTarget(Jdk jdk) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("app"));
        Path appErr = tmp.resolve("app-stderr.txt");
        Process app = new ProcessBuilder(jdk.java().toString(), "-cp", SampleRun.SAMPLE_CLASSES.toString(),
                "dev.daxaudit.samples.AttachTarget", dir.toString()).directory(dir.toFile())
                .redirectError(appErr.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(),
                StandardCharsets.UTF_8)); Writer in = app.outputWriter()) {
            assertEquals("ready", out.readLine());
            String pid = Long.toString(app.pid());
            Result bogus = run(jdk, "attach", pid, "bogus=1");
            assertEquals(2, bogus.status(), bogus.output());
            assertEquals(List.of("dax-audit: process " + pid + " is not audited: unknown option 'bogus' (valid: "
                    + "report formats include exclude model entries zeroing tracking sites crash storedBytes interval memory "
                    + "failOnFindings strict)"), lines(bogus));
            assertTrue(Files.readString(appErr).contains("dax-audit: unknown option 'bogus'"));

            Result attached = run(jdk, "attach", pid, "report=" + dir.resolve("exit.json"));
            assertEquals(0, attached.status(), attached.output());
            assertEquals(List.of("dax-audit: process " + pid + ": auditing from now on"), lines(attached));
            Result again = run(jdk, "attach", pid);
            assertEquals(0, again.status(), "it is auditing: " + again.output());
            assertTrue(lines(again).get(0).startsWith("dax-audit: process " + pid + ": already auditing this JVM"));

            String stderrBefore = Files.readString(appErr);
            Path blocked = Files.writeString(tmp.resolve("blocker"), "a file").resolve("dump.json");
            Result dump = run(jdk, "dump", pid, "--out", blocked.toString());
            assertEquals(2, dump.status(), dump.output());
            assertEquals(1, lines(dump).size(), dump.output());
            assertTrue(lines(dump).get(0).startsWith("dax-audit: process " + pid + ": could not write " + blocked),
                    dump.output());
            // A dump loads nothing into the target: no dynamic-agent warning of the JDK's, no line of the agent's.
            String printed = Files.readString(appErr).substring(stderrBefore.length());
            assertEquals("", printed);
            in.write("go\n");
            in.flush();
            assertEquals("written", out.readLine());
            in.write("exit\n");
            in.flush();
        }
        assertTrue(app.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, app.exitValue(), Files.readString(appErr));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void attachAuditsFromNowOnAndDumpWritesAReportWithoutStoppingTheApp(Jdk jdk) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("app"));
        Process app = new ProcessBuilder(jdk.java().toString(), "-cp", SampleRun.SAMPLE_CLASSES.toString(),
                "dev.daxaudit.samples.AttachTarget", dir.toString()).directory(dir.toFile())
                .redirectError(tmp.resolve("app-stderr.txt").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(),
                StandardCharsets.UTF_8)); Writer in = app.outputWriter()) {
            assertEquals("ready", out.readLine());
            String pid = Long.toString(app.pid());
            Path dump = tmp.resolve("dump.json");
            assertEquals(2, cli(jdk, "dump", pid, "--out", dump.toString()), "not audited yet");
            assertFalse(Files.exists(dump));

            // The hooks, for the stores' lines (tracking=auto would run the kernel tracker on JDK 25).
            assertEquals(0, cli(jdk, "attach", pid, "report=" + dir.resolve("exit.json") + ",tracking=bytecode"));
            in.write("go\n");
            in.flush();
            assertEquals("written", out.readLine());

            String beforeDump = Files.readString(tmp.resolve("app-stderr.txt"));
            assertEquals(0, cli(jdk, "dump", pid, "--out", dump.toString()));
            assertEquals(beforeDump, Files.readString(tmp.resolve("app-stderr.txt")),
                    "a dump prints nothing in the target, not even the JDK's dynamic-agent warning");
            JsonNode report = JSON.readTree(dump.toFile());
            assertTrue(ReportSchema.violations(report).isEmpty(), "" + ReportSchema.violations(report));
            assertEquals("dump", report.get("reason").asText());
            assertEquals(List.of("UNSYNCED late.dat [0,8192) sites=[" + site("AttachTarget", "main", "late")
                    + " x1, dev.daxaudit.samples.AttachTarget.main:" + (SourceLines.line("AttachTarget.java", "late") + 1)
                    + " x1] threads=[main]"), Findings.of(report, dir));
            JsonNode late = report.get("agent").get("lateAttach");
            assertEquals(1, late.get("preexistingMappings").asLong(), "early.dat was mapped before the attach");
            assertEquals(4096, late.get("preexistingBytes").asLong());
            assertTrue(app.isAlive(), "dump does not stop the app");

            in.write("exit\n");
            in.flush();
        }
        assertTrue(app.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, app.exitValue(), Files.readString(tmp.resolve("app-stderr.txt")));
        JsonNode atExit = JSON.readTree(dir.resolve("exit.json").toFile());
        assertEquals(1, atExit.get("findings").size(), "the exit report of an attached agent is written too");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void attachToSomethingThatIsNotAJvmIsOneLineAndStatus2(Jdk jdk) throws Exception {
        Process notJava = new ProcessBuilder("sleep", "30").start();
        try {
            assertEquals(2, cli(jdk, "attach", Long.toString(notJava.pid())));
            assertEquals(2, cli(jdk, "dump", Long.toString(notJava.pid())));
            assertTrue(notJava.isAlive(), "a process that is not a JVM is never signalled (SIGQUIT would kill it)");
            assertEquals(2, cli(jdk, "attach", "not-a-pid"));
        } finally {
            notJava.destroy();
        }
    }
}
