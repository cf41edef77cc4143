package dev.daxaudit.agent;

import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.JsonReportWriter;
import dev.daxaudit.core.report.TextReportWriter;
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;

/** The shutdown hook: writes the report in the formats the options ask for. Never throws. */
final class ExitReport implements Runnable {
    private final DaxEngine engine;

    ExitReport(DaxEngine engine) {
        this.engine = engine;
    }

    @Override
    public void run() {
        try {
            AgentOptions options = engine.options();
            AuditReport report = engine.report("exit");
            String jsonPath = null;
            if (options.formats().contains(AgentOptions.Format.JSON)) {
                File file = new File(options.reportPath()).getAbsoluteFile();
                try (OutputStream out = new FileOutputStream(file)) {
                    new JsonReportWriter().write(report, out);
                }
                jsonPath = file.getPath();
            }
            if (options.formats().contains(AgentOptions.Format.TEXT)) {
                new TextReportWriter().write(report, jsonPath, System.err);
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
