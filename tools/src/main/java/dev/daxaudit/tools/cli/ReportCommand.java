package dev.daxaudit.tools.cli;

import dev.daxaudit.tools.report.HtmlReport;
import dev.daxaudit.tools.report.ReportDocument;
import dev.daxaudit.tools.report.ReportMerge;
import dev.daxaudit.tools.report.SarifReport;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.JsonReportWriter;
import dev.daxaudit.core.report.TextSummary;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report <report.json>... [--json F] [--html F] [--sarif F] [--text]}: renders JSON reports, merged into one
 * when there are several, in other formats.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render a JSON report: self-contained HTML, SARIF 2.1.0 for code scanning, or the text summary "
                + "(the default).")
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "<report.json>",
            description = "Reports written by the agent; several (one per test JVM) are merged into one.")
    List<Path> reports;

    @Option(names = "--json", paramLabel = "F", description = "Write the (merged) JSON report to this file.")
    Path json;

    @Option(names = "--sarif", paramLabel = "F", description = "Write SARIF 2.1.0 to this file.")
    Path sarif;

    @Option(names = "--html", paramLabel = "F", description = "Write a self-contained HTML report to this file.")
    Path html;

    @Option(names = "--text", description = "Print the text summary (the default when no other format is asked).")
    boolean text;

    @Option(names = "--source-root", paramLabel = "DIR",
            description = "A source root (such as src/main/java) that SARIF locations resolve against; repeatable.")
    List<Path> sourceRoots = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<ReportDocument> read = new ArrayList<>();
        for (Path report : reports) {
            read.add(ReportDocument.read(report));
        }
        AuditReport report = ReportMerge.of(read);
        if (json != null) {
            try (OutputStream out = Files.newOutputStream(json)) {
                new JsonReportWriter().write(report, out);
            }
        }
        if (sarif != null) {
            Files.writeString(sarif, SarifReport.render(report, sourceRoots), StandardCharsets.UTF_8);
        }
        if (html != null) {
            Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
        }
        if (text || (sarif == null && html == null && json == null)) {
            System.out.print(TextSummary.render(report, reports.size() == 1 ? reports.get(0).toString() : null));
        }
        return 0;
    }
}
