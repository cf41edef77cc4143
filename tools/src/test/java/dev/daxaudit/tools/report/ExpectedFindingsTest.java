package dev.daxaudit.tools.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Distribution;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.SitePrecision;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.PageRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finding is accepted only when a declaration covers every one of its ranges whole: a declaration of part of it,
 * of another file, or one on a malformed line accepts nothing.
 */
class ExpectedFindingsTest {
    @TempDir
    Path tmp;

    private static Finding finding(String file, long... bounds) {
        List<PageRange> ranges = new java.util.ArrayList<>();
        for (int i = 0; i < bounds.length; i += 2) {
            ranges.add(new PageRange(bounds[i], bounds[i + 1], 1.0));
        }
        return new Finding(FindingKind.UNSYNCED, file, ranges.size(), ranges, List.of(), List.of("main"), null, null,
                null, 0, 0, SitePrecision.LINE, "stored and never forced");
    }

    private static AuditReport report(List<Finding> findings) {
        Distribution none = new Distribution(0, 0, 0, 0, 0, List.of());
        return new AuditReport(AuditReport.SCHEMA_VERSION, "test", "exit", "Vendor 25", "/work", Map.of(), List.of(),
                0, findings, List.of(), none, none, List.of(), 0, List.of(), List.of(), false, "bytecode", null, null,
                AuditReport.BLIND_SPOTS, new AuditReport.Detail(8 << 20, 0));
    }

    @Test
    void onlyFindingsCoveredWholeAreAccepted() throws Exception {
        Finding whole = finding("/data/a.log", 0, 4096, 8192, 12288);
        Finding partly = finding("/data/b.log", 0, 8192);
        Finding otherFile = finding("/data/c.log", 0, 4096);
        Path declared = tmp.resolve("dax-audit-1.expected");
        Files.writeString(declared, String.join("\n",
                "/data/a.log\t0-4096,8192-16384\tLogTest.failsOnPurpose",
                "/data/b.log\t0-4096\tLogTest.other", // half of b's range
                "/data/c.log\tnot-a-range\tLogTest.broken",
                "a line without a tab",
                ""));
        AuditReport checked = ExpectedFindings.read(List.of(declared))
                .withoutDeclared(report(List.of(whole, partly, otherFile)));
        assertEquals(List.of(partly, otherFile), checked.findings());
    }

    @Test
    void withoutDeclarationsTheReportIsUnchanged() throws Exception {
        AuditReport report = report(List.of(finding("/data/a.log", 0, 4096)));
        assertEquals(report, ExpectedFindings.read(List.of()).withoutDeclared(report));
    }

    @Test
    void declarationsFromSeveralTestJvmsAddUp() throws Exception {
        Path first = Files.writeString(tmp.resolve("dax-audit-1.expected"), "/data/a.log\t0-4096\tA.one\n");
        Path second = Files.writeString(tmp.resolve("dax-audit-2.expected"), "/data/a.log\t4096-8192\tB.two\n");
        Finding split = finding("/data/a.log", 0, 4096, 4096, 8192);
        assertEquals(List.of(), ExpectedFindings.read(List.of(first, second)).withoutDeclared(report(List.of(split)))
                .findings());
    }

    /** report marks what check accepts: the declared finding suppressed in SARIF with its tests, the other open. */
    @Test
    void sarifSuppressesExactlyTheDeclaredFindingsNamingTheirTests() throws Exception {
        Path first = Files.writeString(tmp.resolve("dax-audit-1.expected"), "/data/a.log\t0-4096\tA.one\n");
        Path second = Files.writeString(tmp.resolve("dax-audit-2.expected"), "/data/a.log\t4096-8192\tB.two\n");
        ExpectedFindings declared = ExpectedFindings.read(List.of(first, second));
        Finding split = finding("/data/a.log", 0, 4096, 4096, 8192);
        Finding open = finding("/data/b.log", 0, 4096);
        assertEquals("A.one, B.two", declared.declaredBy(split));
        assertEquals(null, declared.declaredBy(open));
        com.fasterxml.jackson.databind.JsonNode results = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(SarifReport.render(report(List.of(split, open)), List.of(), null, declared))
                .get("runs").get(0).get("results");
        assertEquals("{\"kind\":\"external\",\"status\":\"accepted\",\"justification\":"
                + "\"declared by @ExpectUnsynced in A.one, B.two\"}", results.get(0).get("suppressions").get(0).toString());
        assertEquals(false, results.get(1).has("suppressions"));
        String html = HtmlReport.render(report(List.of(split, open)), null, declared);
        assertEquals(true, html.contains("Declared by @ExpectUnsynced in A.one, B.two"));
        assertEquals(true, html.contains("<b>1</b>findings") && html.contains("<b>1</b>declared by tests"), html);
    }
}
