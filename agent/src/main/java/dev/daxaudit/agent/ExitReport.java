package dev.daxaudit.agent;

import dev.daxaudit.agent.report.ReportDocument;
import dev.daxaudit.agent.report.TextSummary;
import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.JsonReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The shutdown hook: writes the JSON report and renders the formats the options ask for from it. Never throws;
 * with {@code failOnFindings=true} it ends the JVM with status 77 when there are findings or hazards.
 */
final class ExitReport implements Runnable {
    private final DaxEngine engine;

    ExitReport(DaxEngine engine) {
        this.engine = engine;
    }

    /** Writes the report as of now to {@code path} (a {@code dump}), without touching the exit report. */
    static void writeJson(DaxEngine engine, String reason, String path) throws java.io.IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        new JsonReportWriter().write(engine.report(reason), json);
        Files.write(new File(path).getAbsoluteFile().toPath(), json.toByteArray());
    }

    @Override
    public void run() {
        try {
            AgentOptions options = engine.options();
            AuditReport report = engine.report("exit");
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            new JsonReportWriter().write(report, json);
            String jsonPath = null;
            if (options.formats().contains(AgentOptions.Format.JSON)) {
                File file = new File(options.reportPath()).getAbsoluteFile();
                Files.write(file.toPath(), json.toByteArray());
                jsonPath = file.getPath();
            }
            if (options.formats().contains(AgentOptions.Format.TEXT)) {
                ReportDocument document = ReportDocument.parse(json.toString(StandardCharsets.UTF_8), "report");
                System.err.print(TextSummary.render(document, jsonPath));
                System.err.flush();
            }
            if (options.failOnFindings() && (!report.findings().isEmpty() || !report.hazards().isEmpty())) {
                System.err.println("dax-audit: failOnFindings: " + report.findings().size() + " finding(s), "
                        + report.hazards().size() + " hazard(s); exit status " + AgentOptions.FINDINGS_EXIT_STATUS);
                System.err.flush();
                // The only way to change the exit status from a shutdown hook. It also ends any other hook still
                // running, which is why this is opt-in.
                Runtime.getRuntime().halt(AgentOptions.FINDINGS_EXIT_STATUS);
            }
        } catch (Throwable t) {
            System.err.println("dax-audit: could not write the report: " + t);
        }
    }
}
