package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in real headless Chromium (see {@link Chromium}): rendered by the command line, loaded from a
 * file URL with the network off, its DOM checked against the JSON, its details opened and its file table sorted by
 * clicking, and any console message or script error fails the test. A report of 300 files and 1,000 findings must
 * load fast and stay small. Screenshots go to {@code dax.screenshot.out} when that is set.
 */
class HtmlReportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIN_PLOTTED = 10;

    @TempDir
    Path tmp;

    private Path html(Path report, String name) throws Exception {
        Path html = tmp.resolve(name + ".html");
        Process cli = new ProcessBuilder(Jdk.JDK_17.java().toString(), "-jar", SampleRun.AGENT_JAR.toString(),
                "report", report.toString(), "--html", html.toString()).redirectErrorStream(true).start();
        assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, cli.exitValue(), new String(cli.getInputStream().readAllBytes()));
        String source = Files.readString(html);
        assertFalse(source.matches("(?s).*(src|href)=\"https?:.*"), "nothing is fetched from the network");
        return html;
    }

    private static long count(Chromium c, String selector) throws Exception {
        return c.evaluate("document.querySelectorAll('" + selector + "').length").asLong();
    }

    private static void assertClean(Chromium c) throws Exception {
        assertEquals("ok", c.evaluate("document.body.dataset.rendered").asText(), "the page's script ran to its end");
        assertTrue(c.evaluate("document.body.dataset.errors || ''").asText().isEmpty(), "no script error");
        assertEquals(List.of(), c.console(), "no console message");
    }

    private void assertRendersLikeItsJson(SampleRun run) throws Exception {
        JsonNode report = run.json();
        Path html = html(run.report, "report-" + System.nanoTime());
        try (Chromium c = Chromium.start(tmp, 1280, 1700)) {
            c.load(html);
            assertClean(c);
            JsonNode summary = report.get("summary");
            assertEquals(summary.get("findings").asLong(), c.evaluate("+document.querySelector("
                    + "'[data-count=findings] b').textContent").asLong());
            assertEquals(summary.get("hazards").asLong(), c.evaluate("+document.querySelector("
                    + "'[data-count=hazards] b').textContent").asLong());
            assertEquals(report.get("findings").size(), count(c, "tr.finding"));
            assertEquals(report.get("hazards").size(), count(c, "tr.hazard"));
            assertEquals(report.get("files").size(), count(c, "tr.file"));
            assertEquals(0, count(c, "svg.pagemap"), "page maps are built on demand");
            c.evaluate("document.querySelectorAll('#files button.open').forEach(function(b){b.click();})");
            int cells = 0;
            for (JsonNode f : report.get("files")) {
                cells += f.get("pageMap").get("cells").asText().length();
            }
            assertEquals(cells, count(c, "svg.pagemap rect"));
            assertEquals(cells, count(c, "svg.pagemap rect > title"), "every cell says its offsets on hover");
            assertEquals(2L * report.get("files").size(), count(c, "tr.detail figure.plot"));
            for (String plot : List.of("syncLag", "writebackLatency")) {
                boolean enough = report.get("distributions").get(plot).get("count").asLong() >= MIN_PLOTTED;
                assertEquals(enough, count(c, "#" + plot + " polyline") == 1, plot);
            }
            assertClean(c);
        }
    }

    @Test
    void everyKindOfReportRendersInChromium() throws Exception {
        assertRendersLikeItsJson(SampleRun.run(Jdk.JDK_17, "TruncateUnsynced", tmp, "report=@REPORT@,storedBytes=true"));
        assertRendersLikeItsJson(SampleRun.run(Jdk.JDK_17, "ForcedLog", tmp, ""));
        assertRendersLikeItsJson(SampleRun.run(Jdk.JDK_17, "StoreRacingForce hazard", tmp, "report=@REPORT@,entries=pte"));
        assertRendersLikeItsJson(SampleRun.run(Jdk.JDK_25, "LargeSparseSegment", tmp, "report=@REPORT@,entries=pte"));
    }

    @Test
    void aReportOf300FilesAnd1000FindingsLoadsFastStaysSmallAndSorts() throws Exception {
        Path large = tmp.resolve("large.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(large.toFile(), synthetic(300, 1000));
        Path html = html(large, "large");
        try (Chromium c = Chromium.start(tmp, 1400, 1000)) {
            double loadMillis = c.load(html);
            assertClean(c);
            long elements = c.evaluate("document.getElementsByTagName('*').length").asLong();
            assertTrue(loadMillis < 3_000, "loaded in " + loadMillis + " ms");
            assertTrue(elements < 25_000, elements + " elements");
            assertEquals(300, count(c, "tr.file"));
            assertEquals(1000, count(c, "tr.finding"));
            // Sort by unsynced pages, descending: two clicks on its header.
            c.evaluate("var th=document.querySelectorAll('#files th')[3];th.click();th.click();");
            assertEquals(299, c.evaluate("+document.querySelector('#files tbody tr').cells[3].dataset.sort").asLong());
            c.evaluate("document.querySelectorAll('#files tbody tr.file')[150].querySelector('button').click()");
            assertEquals(512, count(c, "svg.pagemap rect"));
            assertTrue(c.evaluate("document.querySelector('svg.pagemap rect title').textContent").asText()
                    .startsWith("pages 0-"), "a cell names its pages and bytes");
            assertClean(c);
            keep(c.screenshot(), "report-large.png");
        }
    }

    /** A schema-valid report with {@code files} files and {@code findings} findings, built from a real one. */
    private ObjectNode synthetic(int files, int findings) throws Exception {
        SampleRun run = SampleRun.run(Jdk.JDK_17, "UnforcedLog", tmp, "");
        ObjectNode report = (ObjectNode) run.json();
        JsonNode fileTemplate = report.get("files").get(0);
        JsonNode findingTemplate = report.get("findings").get(0);
        ArrayNode fileArray = report.putArray("files");
        for (int i = 0; i < files; i++) {
            ObjectNode f = fileTemplate.deepCopy();
            f.put("file", String.format("/data/broker/log/topic-%03d/%020d.index", i % 37, i * 1000L));
            f.put("inode", 100_000 + i);
            f.put("unsyncedPages", i);
            StringBuilder cells = new StringBuilder();
            for (int c = 0; c < 512; c++) {
                cells.append("USCC".charAt((c * 7 + i) % 4));
            }
            ((ObjectNode) f.get("pageMap")).put("pages", 512 * 5).put("pagesPerCell", 5).put("cells", cells.toString());
            fileArray.add(f);
        }
        ArrayNode findingArray = report.putArray("findings");
        for (int i = 0; i < findings; i++) {
            ObjectNode f = findingTemplate.deepCopy();
            f.put("file", fileArray.get(i % files).get("file").asText());
            findingArray.add(f);
        }
        ObjectNode summary = (ObjectNode) report.get("summary");
        summary.put("files", files).put("findings", findings);
        assertTrue(ReportSchema.violations(report).isEmpty(), "" + ReportSchema.violations(report));
        return report;
    }

    @Test
    void screenshotOfAReportWithFindings() throws Exception {
        SampleRun run = SampleRun.run(Jdk.JDK_17, "TruncateUnsynced", tmp, "report=@REPORT@,storedBytes=true");
        try (Chromium c = Chromium.start(tmp, 1280, 1500)) {
            c.load(html(run.report, "findings"));
            c.evaluate("document.querySelector('#files button.open').click()");
            assertClean(c);
            byte[] png = c.screenshot();
            assertTrue(png.length > 20_000, "a real picture, not a blank page: " + png.length + " bytes");
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
            keep(png, "report.png");
        }
    }

    /** Keeps a screenshot under the directory named by {@code dax.screenshot.out}, when it is set. */
    private static void keep(byte[] png, String name) throws Exception {
        String dir = System.getProperty("dax.screenshot.out");
        if (dir != null && !dir.isEmpty()) {
            Files.write(Paths.get(dir).resolve(name), png);
        }
    }
}
