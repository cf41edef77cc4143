package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in real headless Chromium: rendered by the CLI from sample reports, loaded from a file URL with
 * the network off, its DOM checked against the JSON, a screenshot taken, and any console message or script error
 * fails the test. {@code .ci/run} installs Debian's chromium; elsewhere a missing browser skips with a message
 * (and fails under CI=true).
 */
class HtmlReportIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return Paths.get(candidate);
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("chromium is not installed; .ci/run installs Debian's chromium package");
        }
        Assumptions.abort("chromium is not installed (apt-get install chromium, as .ci/run does): test skipped");
        return null;
    }

    private record Page(String dom, String log) {
    }

    private Page load(Path html, Path screenshot) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"), "--window-size=1280,1700"));
        cmd.add(screenshot == null ? "--dump-dom" : "--screenshot=" + screenshot);
        cmd.add(html.toUri().toString());
        Path out = Files.createTempFile(tmp, "dom", ".html");
        Path err = Files.createTempFile(tmp, "chromium", ".log");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        return new Page(Files.readString(out), Files.readString(err));
    }

    private Path html(SampleRun run) throws Exception {
        Path html = run.dir.resolve("report.html");
        Process cli = new ProcessBuilder(Jdk.JDK_17.java().toString(), "-jar", SampleRun.AGENT_JAR.toString(),
                "report", run.report.toString(), "--html", html.toString()).redirectErrorStream(true).start();
        assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, cli.exitValue(), new String(cli.getInputStream().readAllBytes()));
        return html;
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private void assertRendersLikeItsJson(SampleRun run) throws Exception {
        JsonNode report = run.json();
        Path html = html(run);
        String source = Files.readString(html);
        assertFalse(source.matches("(?s).*(src|href)=\"https?:.*"), "nothing is fetched from the network");
        Page page = load(html, null);
        assertTrue(page.dom().contains("data-rendered=\"ok\""), "the page's script ran to its end");
        assertFalse(page.dom().contains("data-errors"), "no script error");
        assertFalse(page.log().contains("CONSOLE"), "no console message: " + page.log());
        assertTrue(page.dom().contains("<b>" + report.get("summary").get("findings").asLong() + "</b>findings"));
        assertTrue(page.dom().contains("<b>" + report.get("summary").get("hazards").asLong() + "</b>hazards"));
        assertEquals(report.get("files").size(), count(page.dom(), "class=\"file\""));
        int cells = 0;
        for (JsonNode f : report.get("files")) {
            cells += f.get("pageMap").get("cells").asText().length();
        }
        assertEquals(cells, count(page.dom(), "<rect class=\"[USC]\""));
        assertEquals(report.get("findings").size(), count(page.dom(), "<tr class=\"finding\""));
        assertEquals(report.get("hazards").size(), count(page.dom(), "<tr class=\"hazard\""));
        assertEquals(2 * report.get("files").size(), count(page.dom(), "<figure class=\"file-plot\""),
                "each file plots its own lag and writeback distributions");
        for (String plot : List.of("syncLag", "writebackLatency")) {
            boolean hasValues = report.get("distributions").get(plot).get("count").asLong() > 0;
            assertEquals(hasValues, page.dom().contains("id=\"" + plot + "\"")
                    && page.dom().split("id=\"" + plot + "\"")[1].split("</figure>")[0].contains("polyline"), plot);
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
    void screenshotOfAReportWithFindings() throws Exception {
        SampleRun run = SampleRun.run(Jdk.JDK_17, "TruncateUnsynced", tmp, "report=@REPORT@,storedBytes=true");
        Path png = tmp.resolve("report.png");
        Page page = load(html(run), png);
        assertFalse(page.log().contains("CONSOLE"), page.log());
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 20_000, "a real picture, not a blank page: " + bytes.length + " bytes");
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
        String keep = System.getProperty("dax.screenshot.out");
        if (keep != null && !keep.isEmpty()) {
            Files.copy(png, Paths.get(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
