package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The paths around the report, in forked JVMs with the real agent jar: bad options, a report that cannot be written,
 * the JVM ending on a signal, filters that match nothing. Each gets one clear line, the application runs on
 * unchanged, and the CI gate never passes because of an I/O error.
 */
class ErrorPathsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FALLBACK = Pattern.compile("wrote it to (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void eachBadOptionIsOneShortLineAndTheAppRunsOnUnaudited(Jdk jdk) throws Exception {
        SampleRun plain = SampleRun.run(jdk, "UnforcedLog", tmp, null);
        for (String options : List.of("reprot=x", "formats=jsno", "model=tmpfs", "interval=abc", "report", "zzz=1",
                "include=[unclosed", "failOnFindings=ture", "formats=json,formats=text", "dump=/tmp/x.json", "report=/tmp/a\nb.json")) {
            SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp, options);
            assertEquals(plain.stdout, run.stdout, options);
            assertEquals(plain.exitCode, run.exitCode, options);
            assertEquals(1, run.agentLines().size(), options + ": " + run.stderr);
            String line = run.agentLines().get(0);
            assertTrue(line.length() < 200, line.length() + ": " + line);
            assertTrue(line.endsWith("; running unaudited"), line);
            assertFalse(Files.exists(run.dir.resolve("dax-audit-report.json")), "nothing audited, nothing reported");
        }
        String line = SampleRun.run(jdk, "UnforcedLog", tmp, "reprot=x").agentLines().get(0);
        assertEquals("dax-audit: unknown option 'reprot' (did you mean 'report'?); running unaudited", line);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void strictStopsTheJvmWithOneLineAndStatus2(Jdk jdk) throws Exception {
        SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp, "strict=true,formats=xml");
        assertEquals(2, run.exitCode, run.stderr);
        assertEquals("", run.stdout, "the application never started");
        assertEquals(List.of("dax-audit: bad value 'xml' for option 'formats' (expected json, text or json:text); "
                + "stopping the JVM (strict=true)"), run.agentLines());
        assertEquals("", run.applicationStderr(), "no JPLIS fatal error, no native frames");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aReportThatCannotBeWrittenGoesToAFallbackAndTheGateStillFails(Jdk jdk) throws Exception {
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file, not a directory");
        Path unwritable = blocker.resolve("report.json");
        SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp,
                "report=" + unwritable + ",formats=json,failOnFindings=true");
        assertEquals(77, run.exitCode, "findings fail the gate whatever happened to the file: " + run.stderr);
        assertTrue(run.stdout.startsWith("appended 100 records"), "the application ran to its end");
        assertTrue(run.agentLines().get(0).startsWith("dax-audit: the report directory " + blocker
                + " does not exist; if it still is at exit, the report goes to "), run.stderr);
        Matcher m = FALLBACK.matcher(run.stderr);
        assertTrue(m.find(), run.stderr);
        assertTrue(run.stderr.contains("dax-audit: could not write the report to " + unwritable + " (the report "
                + "directory " + blocker + " does not exist); wrote it to "), run.stderr);
        Path fallback = Path.of(m.group(1));
        try {
            JsonNode report = run.json(fallback);
            assertEquals(1, report.get("findings").size());
            assertEquals(0, report.get("agent").get("internalErrors").asLong(), "an unwritable path is no agent bug");
        } finally {
            Files.deleteIfExists(fallback);
        }
        assertTrue(run.stderr.contains("dax-audit: 1 finding(s), 3 unsynced page(s)"),
                "summarised on stderr although formats=json: " + run.stderr);
        assertTrue(run.stderr.contains("dax-audit: failOnFindings: 1 finding(s), 0 hazard(s); exit status 77"));

        SampleRun clean = SampleRun.run(jdk, "ForcedLog", tmp, "report=" + unwritable + ",failOnFindings=true");
        assertEquals(0, clean.exitCode, clean.stderr);
        Matcher c = FALLBACK.matcher(clean.stderr);
        assertTrue(c.find(), clean.stderr);
        Files.deleteIfExists(Path.of(c.group(1)));
    }

    /**
     * A device, a FIFO or a directory as the report path is refused with one line at start, never replaced (as root,
     * renaming a report over /dev/null would turn it into a regular file for the whole machine), and the report
     * goes to a short fallback name. The device is a private mknod copy of /dev/null, made where root can.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aReportPathThatIsNoRegularFileIsNeverReplaced(Jdk jdk) throws Exception {
        Path device = tmp.resolve("null");
        Path fifo = tmp.resolve("fifo");
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        boolean root = new ProcessBuilder("mknod", device.toString(), "c", "1", "3").start().waitFor() == 0;
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        List<Path> targets = root ? List.of(device, fifo, dir) : List.of(fifo, dir);
        for (Path target : targets) {
            SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp, "report=" + target + ",formats=json");
            assertTrue(run.stdout.startsWith("appended 100 records"), run.stdout);
            String first = run.agentLines().get(0);
            assertTrue(first.length() < 200, first.length() + ": " + first);
            assertTrue(first.startsWith("dax-audit: the report path " + target + " is "
                    + (target.equals(dir) ? "a directory" : "not a regular file")), first);
            var attributes = Files.readAttributes(target, java.nio.file.attribute.PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            assertFalse(attributes.isRegularFile(), target + " was replaced by a regular file");
            Matcher m = FALLBACK.matcher(run.stderr);
            assertTrue(m.find(), run.stderr);
            Path fallback = Path.of(m.group(1));
            try {
                assertTrue(fallback.getFileName().toString().matches("dax-audit-\\d+-[0-9a-f]+\\.json"), fallback.toString());
                assertEquals(1, run.json(fallback).get("findings").size());
                assertEquals(0, run.json(fallback).get("agent").get("internalErrors").asLong());
            } finally {
                Files.deleteIfExists(fallback);
            }
        }
        if (!root) {
            org.junit.jupiter.api.Assumptions.abort("not root: no private device node (mknod); FIFO and directory "
                    + "checked");
        }
    }

    /**
     * Nobody else can switch the agent off through its cache: the cache is in the user's home
     * ({@code ~/.cache/dax-audit/agent}), so another user squatting the temporary directory's {@code dax-audit-<user>}
     * changes nothing; a home without a usable cache (a file in its place) falls back to the temporary directory, and
     * where that is squatted too (a file, a directory the user cannot write) the agent runs without a cache; a
     * damaged cached boot jar or class is not loaded. In every case the agent runs and audits all the same (it used
     * to stop with a NullPointerException and let the gate pass). With no temporary directory at all it cannot
     * start: it says so in one line and, under failOnFindings=true, stops the JVM with status 2 instead of passing
     * the gate.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void noCacheStateSwitchesTheAgentOff(Jdk jdk) throws Exception {
        String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        Path squatted = Files.createDirectory(tmp.resolve("squatted"));
        Files.writeString(squatted.resolve("dax-audit-" + user), "not a directory");
        Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
        Files.createDirectory(readOnly.resolve("dax-audit-" + user),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("r-x------")));
        Path squattedHome = Files.createDirectories(tmp.resolve("squatted-home/.cache")).getParent();
        Files.writeString(squattedHome.resolve(".cache/dax-audit"), "not a directory");
        Path home = Files.createDirectory(tmp.resolve("home"));
        Path fresh = Files.createDirectory(tmp.resolve("fresh"));
        Path cache = home.resolve(".cache/dax-audit/agent");
        List<Path[]> runs = List.of(new Path[] {squattedHome, squatted}, new Path[] {squattedHome, readOnly},
                new Path[] {home, squatted}, new Path[] {home, fresh}, new Path[] {home, fresh});
        for (Path[] homeAndTmp : runs) {
            String what = "home " + homeAndTmp[0].getFileName() + ", tmp " + homeAndTmp[1].getFileName();
            SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp, "report=@REPORT@,formats=json",
                    "-Duser.home=" + homeAndTmp[0], "-Djava.io.tmpdir=" + homeAndTmp[1]);
            assertEquals(List.of(), run.agentLines(), what + ": " + run.stderr);
            assertEquals(1, run.json().get("findings").size(), what);
            if (homeAndTmp[0].equals(home)) {
                assertFalse(Files.exists(fresh.resolve("dax-audit-" + user)), what + ": cached in the temporary "
                        + "directory, not in the home");
                assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(cache)), what);
                // Damage the cached boot jar and instrumented classes: the next run must not load them (a class file
                // of java.base with another version would fail every run).
                try (var jars = Files.newDirectoryStream(cache, "boot-*.jar")) {
                    int n = 0;
                    for (Path jar : jars) {
                        Files.write(jar, new byte[] {'P', 'K', 0, 0, 1, 2, 3});
                        n++;
                    }
                    assertEquals(1, n, what + ": one boot jar cached in the home");
                }
                try (var classes = Files.newDirectoryStream(cache, "class-*.class")) {
                    for (Path c : classes) {
                        byte[] bytes = Files.readAllBytes(c);
                        bytes[7] = 99;
                        Files.write(c, bytes);
                    }
                }
            }
        }
        Path noTmp = Files.writeString(tmp.resolve("not-a-directory"), "");
        SampleRun unaudited = SampleRun.run(jdk, "UnforcedLog", tmp, "", "-Duser.home=" + squattedHome,
                "-Djava.io.tmpdir=" + noTmp);
        assertEquals(0, unaudited.exitCode, unaudited.stderr);
        assertTrue(unaudited.agentLines().get(0).endsWith("; running unaudited"), unaudited.stderr);
        SampleRun gate = SampleRun.run(jdk, "UnforcedLog", tmp, "failOnFindings=true", "-Duser.home=" + squattedHome,
                "-Djava.io.tmpdir=" + noTmp);
        assertEquals(2, gate.exitCode, gate.stderr);
        assertEquals("", gate.stdout, "the application never ran");
        assertEquals(1, gate.agentLines().size(), gate.stderr);
        assertTrue(gate.agentLines().get(0).endsWith("; stopping the JVM (failOnFindings=true)"), gate.stderr);
    }

    /** A report name too long for the file system: one short line, and the report under a short fallback name. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aReportNameTooLongGoesToAShortFallbackInOneShortLine(Jdk jdk) throws Exception {
        Path target = tmp.resolve("r".repeat(300) + ".json");
        SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp, "report=" + target + ",formats=json");
        assertEquals(0, run.exitCode, run.stderr);
        String line = run.agentLines().get(0);
        assertTrue(line.length() < 200, line.length() + ": " + line);
        assertTrue(line.startsWith("dax-audit: could not write the report to " + tmp.toString().substring(0, 20)
                + "..."), line);
        assertTrue(line.contains("(File name too long); wrote it to "), line);
        Matcher m = FALLBACK.matcher(run.stderr);
        assertTrue(m.find(), run.stderr);
        Path fallback = Path.of(m.group(1));
        try {
            assertEquals(1, run.json(fallback).get("findings").size());
        } finally {
            Files.deleteIfExists(fallback);
        }
    }

    /** Whether this process ignores SIGINT (bit 2 - 1 of the SigIgn mask in /proc/self/status). */
    private static boolean sigintIgnored() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2) != 0;
            }
        }
        return false;
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void sigtermAndSigintStillWriteTheReport(Jdk jdk) throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            if (signal.equals("INT") && sigintIgnored()) {
                // A shell starts a background job with SIGINT ignored, the forked JVM inherits that, and a JVM that
                // starts with SIGINT ignored leaves it ignored: nothing the agent could change.
                org.junit.jupiter.api.Assumptions.abort("SIGINT is ignored by the JVM running the tests (started as a "
                        + "background job?), so the forked JVM ignores it too: the INT case is skipped");
            }
            SampleRun.Started app = SampleRun.start(jdk, "WriteThenWait", tmp, "");
            app.awaitLine("written");
            app.signal(signal);
            SampleRun run = app.finish();
            assertEquals(signal.equals("TERM") ? 143 : 130, run.exitCode, run.stderr);
            JsonNode report = run.json();
            assertEquals("exit", report.get("reason").asText());
            assertEquals(List.of("UNSYNCED waiting.dat [0,4096) sites=[" + SourceLines.site("WriteThenWait", "main",
                    "write") + " x1] threads=[main]"), Findings.of(report, run.dir));
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void withAnIntervalAKillMinus9LosesAtMostTheLastInterval(Jdk jdk) throws Exception {
        SampleRun.Started app = SampleRun.start(jdk, "WriteThenWait", tmp, "report=@REPORT@,interval=0.2");
        app.awaitLine("written");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!hasAFinding(app.report) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        app.signal("KILL");
        SampleRun run = app.finish();
        assertEquals(137, run.exitCode);
        JsonNode report = run.json();
        assertEquals("interval", report.get("reason").asText(), "no shutdown hook runs on SIGKILL");
        assertEquals(1, report.get("findings").size());
    }

    /** Whether the interval report is there and has the finding; an atomic write never shows half a file. */
    private static boolean hasAFinding(Path report) throws Exception {
        return Files.exists(report) && JSON.readTree(report.toFile()).get("findings").size() == 1;
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void filtersThatKeepOutEveryFileSaySo(Jdk jdk) throws Exception {
        SampleRun none = SampleRun.run(jdk, "UnforcedLog", tmp, "report=@REPORT@,include=/nowhere/**");
        assertEquals(1, none.json().get("summary").get("excludedFiles").asInt());
        assertTrue(none.stderr.contains("dax-audit: the include/exclude filters kept out all 1 mapped file(s), such "
                + "as " + none.dir.resolve("unforced.log")), none.stderr);
        SampleRun byName = SampleRun.run(jdk, "UnforcedLog", tmp, "report=@REPORT@,include=*.log");
        assertEquals(1, byName.json().get("findings").size(), "a glob without '/' matches the file name");
        assertEquals(0, byName.json().get("summary").get("excludedFiles").asInt());
    }
}
