package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of the real agent jar ({@code java -jar dax-audit-agent.jar ...}), forked. */
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path buggy;
    private Path clean;

    @BeforeEach
    void reports() throws Exception {
        buggy = SampleRun.run(Jdk.JDK_17, "TruncateUnsynced", tmp, "").report;
        clean = SampleRun.run(Jdk.JDK_17, "ForcedLog", tmp, "").report;
    }

    private record Result(int status, String out, String err) {
    }

    private Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Jdk.JDK_17.java().toString(), "-jar",
                SampleRun.AGENT_JAR.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void helpWorksEverywhere() throws Exception {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"report", "--help"},
                new String[] {"diff", "--help"}, new String[] {"help", "report"})) {
            Result r = cli(args);
            assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: dax-audit"), r.out());
        }
    }

    @Test
    void reportRendersTextAndSarif() throws Exception {
        Path sarif = tmp.resolve("out.sarif");
        Result r = cli("report", buggy.toString(), "--sarif", sarif.toString(), "--text");
        assertEquals(0, r.status(), r.err());
        JsonNode summary = JSON.readTree(buggy.toFile()).get("summary");
        assertTrue(r.out().startsWith("dax-audit: 2 finding(s), " + summary.get("unsyncedPages").asLong()
                + " unsynced page(s) in 2 mapped file(s), " + summary.get("hazards").asLong() + " hazard(s)"), r.out());
        JsonNode log = JSON.readTree(sarif.toFile());
        assertTrue(ReportSchema.sarifViolations(log).isEmpty(), () -> "" + ReportSchema.sarifViolations(log));
        JsonNode first = log.get("runs").get(0).get("results").get(0);
        assertEquals("DAX/UNSYNCED", first.get("ruleId").asText());
        JsonNode where = first.get("locations").get(0).get("physicalLocation");
        assertEquals("dev/daxaudit/samples/TruncateUnsynced.java", where.get("artifactLocation").get("uri").asText());
        assertEquals(SourceLines.line("TruncateUnsynced.java", "write"), where.get("region").get("startLine").asInt());
        boolean hazardWithRelated = false;
        for (JsonNode result : log.get("runs").get(0).get("results")) {
            if (result.get("ruleId").asText().startsWith("DAX/H1/")) {
                hazardWithRelated = result.get("relatedLocations").get(0).get("physicalLocation") != null;
            }
        }
        assertTrue(hazardWithRelated, "a hazard carries its other side in relatedLocations");
    }

    @Test
    void diffReportsNewAndFixedWithAnExitStatusForCi() throws Exception {
        Result worse = cli("diff", clean.toString(), buggy.toString());
        assertEquals(1, worse.status(), worse.out() + worse.err());
        assertTrue(worse.out().contains("NEW   UNSYNCED "), worse.out());
        String[] last = worse.out().lines().reduce((a, b) -> b).orElseThrow().split(" ");
        long added = Long.parseLong(last[0]);
        assertEquals(worse.out().lines().filter(l -> l.startsWith("NEW ")).count(), added);
        assertTrue(worse.out().endsWith(added + " new, 0 fixed, 0 unchanged\n"), worse.out());
        Result better = cli("diff", buggy.toString(), clean.toString());
        assertEquals(0, better.status(), better.err());
        assertTrue(better.out().contains("FIXED UNSYNCED "), better.out());
        Result same = cli("diff", buggy.toString(), buggy.toString());
        assertEquals(0, same.status());
        assertTrue(same.out().endsWith("0 new, 0 fixed, " + added + " unchanged\n"), same.out());
    }

    @Test
    void diffIsACiBaselineThatSurvivesAMovedCheckoutAndMovedLines() throws Exception {
        // Two runs of the same bug from two different working directories: the paths differ, relative ones do not.
        Path first = SampleRun.run(Jdk.JDK_17, "UnforcedLog", tmp, "").report;
        Path second = SampleRun.run(Jdk.JDK_17, "UnforcedLog", tmp, "").report;
        Result moved = cli("diff", first.toString(), second.toString());
        assertEquals(0, moved.status(), moved.out());
        assertTrue(moved.out().endsWith("0 new, 0 fixed, 1 unchanged\n"), moved.out());

        ObjectNode edited = (ObjectNode) JSON.readTree(second.toFile());
        for (JsonNode site : edited.get("findings").get(0).get("sites")) {
            ((ObjectNode) site).put("line", site.get("line").asInt() + 3); // a comment added at the top of the file
        }
        Path shifted = tmp.resolve("shifted.json");
        JSON.writeValue(shifted.toFile(), edited);
        Result lines = cli("diff", first.toString(), shifted.toString());
        assertEquals(0, lines.status(), lines.out());
        assertTrue(lines.out().endsWith("0 new, 0 fixed, 1 unchanged\n"), lines.out());

        Result absolute = cli("diff", "--root", "/", first.toString(), second.toString());
        assertEquals(1, absolute.status(), "relative to / the two checkouts differ: " + absolute.out());
        assertTrue(absolute.out().contains("NEW   UNSYNCED " + second.getParent().toString().substring(1)
                + "/unforced.log at dev.daxaudit.samples.MappedLog.append"), absolute.out());
        Result names = cli("diff", "--root", "/", "--file-names", first.toString(), second.toString());
        assertEquals(0, names.status(), names.out());

        Path sarifA = tmp.resolve("a.sarif");
        Path sarifB = tmp.resolve("b.sarif");
        Path sources = Path.of(System.getProperty("dax.samples.sources").split(":")[0]);
        assertEquals(0, cli("report", first.toString(), "--sarif", sarifA.toString(), "--source-root",
                sources.toString()).status());
        assertEquals(0, cli("report", shifted.toString(), "--sarif", sarifB.toString()).status());
        JsonNode runA = JSON.readTree(sarifA.toFile()).get("runs").get(0);
        JsonNode runB = JSON.readTree(sarifB.toFile()).get("runs").get(0);
        assertEquals(runA.get("results").get(0).get("partialFingerprints"),
                runB.get("results").get(0).get("partialFingerprints"), "code scanning tracks it as one result");
        assertEquals(sources.toAbsolutePath().toUri().toString(),
                runA.get("originalUriBaseIds").get("SRCROOT").get("uri").asText());
        String uri = runA.get("results").get(0).get("locations").get(0).get("physicalLocation")
                .get("artifactLocation").get("uri").asText();
        assertTrue(Files.exists(sources.resolve(uri)), "the location resolves against the source root: " + uri);
        assertTrue(ReportSchema.sarifViolations(JSON.readTree(sarifA.toFile())).isEmpty());
    }

    /** A report written by an earlier version of the agent, kept as a test resource. */
    private Path version1(String name) throws Exception {
        Path file = tmp.resolve(name);
        try (var in = CliIT.class.getResourceAsStream("/v1/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void schemaVersion1ReportsAreReadWithVersion2Meaning() throws Exception {
        Path unmapped = version1("unmap-unsynced.json");
        Path sarif = tmp.resolve("v1.sarif");
        Path html = tmp.resolve("v1.html");
        Result r = cli("report", unmapped.toString(), "--text", "--sarif", sarif.toString(), "--html", html.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("dax-audit: 1 finding(s), 2 unsynced page(s) in 1 mapped file(s), 0 hazard(s)"),
                "unmap and close were context, not hazards of their own: " + r.out());
        assertTrue(r.out().contains("dax-audit: UNSYNCED /tmp/v1run/b/dropped.dat: 2 page(s)"), r.out());
        assertTrue(r.out().contains("2 page(s) with no mapping left; last unmapped unmap on thread main at "
                + "dev.daxaudit.samples.TruncateUnderMapping.unmap("), r.out());
        JsonNode log = JSON.readTree(sarif.toFile());
        assertTrue(ReportSchema.sarifViolations(log).isEmpty(), () -> "" + ReportSchema.sarifViolations(log));
        assertEquals(1, log.get("runs").get(0).get("results").size());
        assertTrue(Files.readString(html).contains("dropped.dat"));

        Result truncated = cli("report", version1("truncate-unsynced.json").toString());
        assertEquals(0, truncated.status(), truncated.err());
        assertTrue(truncated.out().startsWith("dax-audit: 2 finding(s), 2 unsynced page(s) in 2 mapped file(s), "
                + "2 hazard(s)"), "LOST_AT_TRUNCATE was data the truncate discarded: " + truncated.out());
        assertEquals(2, truncated.out().lines().filter(l -> l.startsWith("dax-audit: HAZARD H1 ")).count());
        Result same = cli("diff", unmapped.toString(), unmapped.toString());
        assertEquals(0, same.status(), same.err());
    }

    @Test
    void badInputGetsOneLineAndStatus2() throws Exception {
        Path corrupt = Files.writeString(tmp.resolve("corrupt.json"), "{ not json");
        ObjectNode future = (ObjectNode) JSON.readTree(clean.toFile());
        future.put("schemaVersion", 99);
        Path futureFile = tmp.resolve("future.json");
        JSON.writeValue(futureFile.toFile(), future);
        for (String[] args : List.of(new String[] {"report", tmp.resolve("missing.json").toString()},
                new String[] {"report", corrupt.toString()}, new String[] {"report", futureFile.toString()},
                new String[] {"diff", clean.toString()}, new String[] {"report", clean.toString(), "--bogus"},
                new String[] {"frobnicate"})) {
            Result r = cli(args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertEquals(1, r.err().lines().count(), String.join(" ", args) + " -> " + r.err());
            assertTrue(r.err().startsWith("dax-audit: "), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
        }
        assertTrue(cli("report", futureFile.toString()).err().contains("schema version 99 is not supported (this "
                + "dax-audit reads versions 1 to 2)"));
        Result verbose = cli("report", corrupt.toString(), "--verbose");
        assertEquals(2, verbose.status());
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace");
    }
}
