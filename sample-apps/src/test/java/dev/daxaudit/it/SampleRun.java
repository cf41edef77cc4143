package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** One forked run of a sample app, with or without the real agent jar, and what it left behind. */
final class SampleRun {
    static final Path AGENT_JAR = Paths.get(System.getProperty("dax.agent.jar"));
    static final Path SAMPLE_CLASSES = Paths.get(System.getProperty("dax.samples.classes"));
    /** The samples' class path: their classes and the real libraries some of them use (Netty). */
    static final String SAMPLE_CLASS_PATH = samplesClassPath();
    private static final String CDS_WARNING = "Sharing is only supported for boot loader classes because bootstrap "
            + "classpath has been appended";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String samplesClassPath() {
        StringBuilder cp = new StringBuilder(SAMPLE_CLASSES.toString());
        String libs = System.getProperty("dax.sample.libs");
        if (libs != null && Files.isDirectory(Paths.get(libs))) {
            try (var jars = Files.newDirectoryStream(Paths.get(libs), "*.jar")) {
                for (Path jar : jars) {
                    cp.append(java.io.File.pathSeparator).append(jar);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return cp.toString();
    }

    final Path dir;
    final int exitCode;
    final String stdout;
    final String stderr;
    final Path report;

    private SampleRun(Path dir, int exitCode, String stdout, String stderr, Path report) {
        this.dir = dir;
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
        this.report = report;
    }

    /**
     * Runs {@code sample} on {@code jdk} in a fresh directory under {@code parent}; agentOptions null: no agent.
     * {@code sample} is a class name, optionally followed by arguments after the directory, space-separated.
     */
    static SampleRun run(Jdk jdk, String sample, Path parent, String agentOptions, String... extraJvmArgs)
            throws IOException, InterruptedException {
        return start(jdk, sample, parent, agentOptions, extraJvmArgs).finish();
    }

    /** A run started by other means: its stdout.txt and stderr.txt are in {@code dir}. */
    static SampleRun finished(Path dir, int exitCode, Path report) throws IOException {
        return new SampleRun(dir, exitCode, Files.readString(dir.resolve("stdout.txt")),
                Files.readString(dir.resolve("stderr.txt")), report);
    }

    /** A sample started and still running, for tests that act on it (signals, attach, dump) before it ends. */
    static final class Started {
        final Process process;
        final Path dir;
        final Path report;
        final String sample;

        Started(Process process, Path dir, Path report, String sample) {
            this.process = process;
            this.dir = dir;
            this.report = report;
            this.sample = sample;
        }

        /** Waits until the sample's stdout has a line equal to {@code line} (at most 60 s). */
        void awaitLine(String line) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (Files.readAllLines(dir.resolve("stdout.txt")).contains(line)) {
                    return;
                }
                assertTrue(process.isAlive(), sample + " ended before it printed " + line + ": "
                        + Files.readString(dir.resolve("stderr.txt")));
                Thread.sleep(20);
            }
            throw new AssertionError(sample + " did not print " + line + " in 60 s");
        }

        /** Sends a signal by name (TERM, INT, KILL) with kill(1). */
        void signal(String name) throws IOException, InterruptedException {
            assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor());
        }

        SampleRun finish() throws IOException, InterruptedException {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), sample + " did not finish in 120 s");
            return new SampleRun(dir, process.exitValue(), Files.readString(dir.resolve("stdout.txt")),
                    Files.readString(dir.resolve("stderr.txt")), report);
        }
    }

    static Started start(Jdk jdk, String sample, Path parent, String agentOptions, String... extraJvmArgs)
            throws IOException {
        return start(jdk, sample, parent, agentOptions, true, extraJvmArgs);
    }

    /** As {@link #run}, but with the agent's own default tracker ({@code tracking=auto}) unless the options name one. */
    static SampleRun runWithDefaultTracker(Jdk jdk, String sample, Path parent, String agentOptions)
            throws IOException, InterruptedException {
        return start(jdk, sample, parent, agentOptions, false).finish();
    }

    private static Started start(Jdk jdk, String sample, Path parent, String agentOptions, boolean hooks,
                                 String... extraJvmArgs) throws IOException {
        String[] words = sample.split(" ");
        String mainClass = words[0];
        Path dir = Files.createTempDirectory(parent, mainClass + "-" + (agentOptions == null ? "plain" : "audited"));
        Path report = dir.resolve("report.json");
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        if (agentOptions != null) {
            String options = agentOptions.isEmpty() ? "report=" + report : agentOptions.replace("@REPORT@", report.toString());
            if (hooks && !options.contains("tracking=")) {
                // The samples' expectations are the store hooks' (lines, H2, H4), on every JDK; tracking=auto (the
                // default) is tested where it is named.
                options += ",tracking=bytecode";
            }
            cmd.add("-javaagent:" + AGENT_JAR + "=" + options);
        }
        cmd.addAll(List.of(extraJvmArgs));
        cmd.addAll(List.of("-cp", SAMPLE_CLASS_PATH, "dev.daxaudit.samples." + mainClass, dir.toString()));
        cmd.addAll(List.of(words).subList(1, words.length));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        // The agent's cache follows user.home, which a test may set; a CI's own XDG_CACHE_HOME would win over it.
        builder.environment().remove("XDG_CACHE_HOME");
        Process p = builder.directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        return new Started(p, dir, report, sample);
    }

    /** The JSON report, which must conform to the published schema: every test that reads one checks that. */
    JsonNode json() throws IOException {
        return json(report);
    }

    /** A report file of this run (the exit report, a dump, a fallback), checked like every report. */
    JsonNode json(Path file) throws IOException {
        assertTrue(Files.exists(file), "no report at " + file + "; stderr:\n" + stderr);
        JsonNode node = JSON.readTree(file.toFile());
        assertTrue(ReportSchema.violations(node).isEmpty(), () -> "report violates the schema: "
                + ReportSchema.violations(node));
        assertRendersAsValidSarif(node);
        return node;
    }

    /**
     * Every report also renders as HTML, and as SARIF 2.1.0 that the official schema accepts with one result per
     * finding and hazard.
     */
    private static void assertRendersAsValidSarif(JsonNode report) throws IOException {
        String sarif;
        String html;
        try {
            dev.daxaudit.tools.report.ReportDocument document =
                    dev.daxaudit.tools.report.ReportDocument.parse(JSON.writeValueAsString(report), "report");
            sarif = dev.daxaudit.tools.report.SarifReport.render(document.report());
            html = dev.daxaudit.tools.report.HtmlReport.render(document.report());
        } catch (dev.daxaudit.tools.report.ReportDocument.BadReportException e) {
            throw new AssertionError(e);
        }
        assertTrue(html.endsWith("</html>") && html.contains("document.body.dataset.rendered='ok'"), "HTML renders");
        JsonNode log = JSON.readTree(sarif);
        assertTrue(ReportSchema.sarifViolations(log).isEmpty(), () -> "SARIF violates the SARIF 2.1.0 schema: "
                + ReportSchema.sarifViolations(log));
        org.junit.jupiter.api.Assertions.assertEquals(report.get("findings").size() + report.get("hazards").size(),
                log.get("runs").get(0).get("results").size());
    }

    /** The report's per-file detail for {@code name}, a file in this run's directory. */
    JsonNode fileSummary(String name) throws IOException {
        for (JsonNode f : json().get("files")) {
            if (f.get("file").asText().equals(dir.resolve(name).toString())) {
                return f;
            }
        }
        throw new AssertionError("no file " + name + " in the report");
    }

    /** stderr without the agent's own lines and the JVM's notice that the boot class path was appended to. */
    String applicationStderr() {
        return stderr.lines()
                .filter(l -> !l.startsWith("dax-audit:") && !l.contains(CDS_WARNING))
                .collect(Collectors.joining("\n"));
    }

    /** stderr lines written by the agent. */
    List<String> agentLines() {
        return stderr.lines().filter(l -> l.startsWith("dax-audit:")).collect(Collectors.toList());
    }
}
