package dev.daxaudit.tools.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.daxaudit.core.report.TextSummary;
import java.util.List;

/**
 * Jazzer on the report reader that {@code report} and {@code diff} use: any input either is refused with one line, or
 * is a report that every renderer (text, SARIF, HTML, fingerprints) turns into output without an exception. Seeds:
 * real reports of schema versions 1 and 2, in the resources.
 */
class ReportReaderFuzzTest {
    @FuzzTest(maxExecutions = 10_000)
    void readsOrSaysOneLine(FuzzedDataProvider data) {
        String json = data.consumeRemainingAsString();
        ReportDocument document;
        try {
            document = ReportDocument.parse(json, "report.json");
        } catch (ReportDocument.BadReportException e) {
            assertTrue(e.getMessage().startsWith("report.json: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            return;
        }
        TextSummary.render(document.report(), null);
        SarifReport.render(document.report(), List.of());
        HtmlReport.render(document.report());
        Fingerprint.Paths paths = Fingerprint.Paths.relativeTo(null);
        document.report().findings().forEach(f -> Fingerprint.ofFinding(f, document.report(), paths).hash());
        document.report().hazards().forEach(h -> Fingerprint.ofHazard(h, document.report(), paths).hash());
    }
}
