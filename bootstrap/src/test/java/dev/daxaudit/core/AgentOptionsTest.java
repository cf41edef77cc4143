package dev.daxaudit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void renderedOptionsParseBackToWhatWasAsked() throws OptionsException {
        Map<String, String> asked = new LinkedHashMap<>();
        asked.put("report", "/tmp/r {pid}.json");
        asked.put("include", "/data/**:*.log");
        asked.put("formats", "json");
        String text = AgentOptions.render(asked, " tracking=kernel ");
        assertEquals("report=/tmp/r {pid}.json,include=/data/**:*.log,formats=json,tracking=kernel", text);
        AgentOptions parsed = AgentOptions.parse(text);
        assertEquals(EnumSet.of(AgentOptions.Format.JSON), parsed.formats());
        assertEquals(AgentOptions.Tracking.KERNEL, parsed.tracking());
        assertTrue(parsed.audits("/data/a/b.bin"));
        assertFalse(parsed.audits("/other/x.bin"));
        assertEquals("-javaagent:" + Path.of("/a/agent.jar").toAbsolutePath() + "=" + text,
                AgentOptions.javaagent(Path.of("/a/agent.jar"), text));
        assertEquals("-javaagent:" + Path.of("/a/agent.jar").toAbsolutePath(),
                AgentOptions.javaagent(Path.of("/a/agent.jar"), AgentOptions.render(Map.of(), null)));
    }

    @Test
    void aKeyGivenTwiceIsOneLineAndTheUsersValueWinsInARenderedString() throws OptionsException {
        OptionsException twice = assertThrows(OptionsException.class,
                () -> AgentOptions.parse("report=a.json,formats=json,report=b.json"));
        assertEquals("dax-audit: option 'report' is given twice", twice.getMessage());
        Map<String, String> asked = new LinkedHashMap<>();
        asked.put("report", "/build/r.json");
        asked.put("formats", "json");
        String text = AgentOptions.render(asked, "report=/mine.json");
        assertEquals("formats=json,report=/mine.json", text);
        assertEquals("/mine.json", AgentOptions.parse(text).reportPath());
    }

    @Test
    void aControlCharacterInAValueIsOneShortLine() {
        OptionsException e = assertThrows(OptionsException.class,
                () -> AgentOptions.parse("report=/tmp/a\nb.json"));
        assertEquals("dax-audit: the value of option 'report' has a control character: '/tmp/a b.json'",
                e.getMessage());
        String longPath = "report=/" + "x".repeat(5000) + "\u0007";
        String line = assertThrows(OptionsException.class, () -> AgentOptions.parse(longPath)).getMessage();
        assertTrue(line.length() < 200 && !line.contains("\n"), line);
    }

    @Test
    void renderRefusesWhatCannotBeParsedBack() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.render(Map.of("reprot", "x"), null));
        assertEquals("dax-audit: unknown option 'reprot'", unknown.getMessage());
        IllegalArgumentException comma = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.render(Map.of("report", "a,b.json"), null));
        assertEquals("dax-audit: the value of report cannot hold a comma: 'a,b.json'", comma.getMessage());
    }

    @Test
    void defaults() throws Exception {
        AgentOptions o = AgentOptions.parse(null);
        assertEquals("dax-audit-report.json", o.reportPath());
        assertEquals(EnumSet.allOf(AgentOptions.Format.class), o.formats());
        assertTrue(o.pmdEntries());
        assertEquals(null, o.model());
        assertFalse(o.strict());
        assertTrue(o.audits("/anything"));
    }

    @Test
    void parsesEveryKey() throws Exception {
        AgentOptions o = AgentOptions.parse("report=/tmp/r.json,formats=json,include=/data/**,"
                + "exclude=/data/tmp/**:**.idx,entries=pte,strict=true,model=dax");
        assertEquals("/tmp/r.json", o.reportPath());
        assertEquals(EnumSet.of(AgentOptions.Format.JSON), o.formats());
        assertFalse(o.pmdEntries());
        assertEquals(Storage.Model.DAX, o.model());
        assertTrue(o.strict());
        assertTrue(o.audits("/data/log/0001.log"));
        assertFalse(o.audits("/data/tmp/x"));
        assertFalse(o.audits("/data/a/b.idx"));
        assertFalse(o.audits("/other/x"));
    }

    /** The message for {@code text}, which must be one line under 200 characters with "; running unaudited". */
    private static String error(String text) {
        OptionsException e = assertThrows(OptionsException.class, () -> AgentOptions.parse(text));
        String line = e.getMessage() + "; running unaudited";
        assertFalse(line.contains("\n"), line);
        assertTrue(line.length() < 200, line.length() + ": " + line);
        return e.getMessage();
    }

    @Test
    void anUnknownKeyNamesTheNearestValidOne() {
        assertEquals("dax-audit: unknown option 'reprot' (did you mean 'report'?)", error("reprot=x"));
        assertEquals("dax-audit: unknown option 'failOnFinding' (did you mean 'failOnFindings'?)",
                error("failOnFinding=true"));
        assertEquals("dax-audit: unknown option 'zzz' (valid: report formats include exclude model entries "
                + "zeroing tracking sites crash storedBytes interval memory failOnFindings strict)", error("zzz=1"));
    }

    @Test
    void aBadValueNamesTheOptionTheValueAndTheNearestValidOne() {
        assertEquals("dax-audit: bad value 'jsno' for option 'formats' (did you mean 'json'? expected json, text or "
                + "json:text)", error("formats=jsno"));
        assertEquals("dax-audit: bad value 'ture' for option 'strict' (did you mean 'true'? expected true or false)",
                error("strict=ture"));
        assertEquals("dax-audit: bad value 'huge' for option 'entries' (expected auto or pte)", error("entries=huge"));
        assertEquals("dax-audit: bad value 'tmpfs' for option 'model' (expected auto, dax or page-cache)",
                error("model=tmpfs"));
        assertEquals("dax-audit: bad value '0' for option 'interval' (expected seconds between 0.01 and 86400, such "
                + "as 30 or 0.5)", error("interval=0"));
        assertTrue(error("include=[a").startsWith("dax-audit: bad value '[a' for option 'include'"));
    }

    @Test
    void malformedPairsAndLongValuesStayOneShortLine() {
        assertEquals("dax-audit: option 'report' needs a value (report=...)", error("report"));
        assertEquals("dax-audit: bad option '=x': expected key=value", error("=x"));
        assertEquals("dax-audit: bad value '' for option 'report' (expected a file path)", error("report="));
        String longGlob = "/data/" + "x".repeat(500) + "[";
        assertTrue(error("include=" + longGlob).contains("'/data/" + "x".repeat(31) + "...'"));
        error("formats=" + "\n".repeat(300));
    }

    @Test
    void pidInTheReportPathIsThisJvms() throws Exception {
        assertEquals("/r/dax-audit-" + ProcessHandle.current().pid() + ".json",
                AgentOptions.parse("report=/r/dax-audit-{pid}.json").reportPath());
    }

    @Test
    void intervalIsInSeconds() throws Exception {
        assertEquals(500, AgentOptions.parse("interval=0.5").intervalMillis());
        assertEquals(0, AgentOptions.parse("").intervalMillis());
    }

    @Test
    void aGlobWithoutASlashMatchesTheFileName() throws Exception {
        AgentOptions o = AgentOptions.parse("include=*.dat");
        assertTrue(o.audits("/tmp/x/a.dat"));
        assertFalse(o.audits("/tmp/x/a.log"));
        assertTrue(o.filters());
    }

    @Test
    void theStatusKeyIsInternalAndReadBeforeParsing() {
        assertEquals("/tmp/s", AgentOptions.statusFile("bogus,status=/tmp/s"));
        assertEquals("bogus,report=x", AgentOptions.withoutStatus("bogus,status=/tmp/s,report=x"));
    }

    @Test
    void strictIsReadEvenWhenTheRestIsBad() {
        assertTrue(AgentOptions.asksStrict("bogus,strict=true"));
        assertFalse(AgentOptions.asksStrict("bogus"));
    }
}
