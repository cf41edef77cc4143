package dev.daxaudit.tools.cli;

import dev.daxaudit.tools.report.ExpectedFindings;
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
 * {@code report <report.json>... [--json F] [--html F] [--sarif F] [--text] [--expected F]}: renders JSON reports,
 * merged into one when there are several, in other formats; findings tests declared are marked as such.
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

    @Option(names = "--expected", paramLabel = "F",
            description = "Findings tests declared with @ExpectUnsynced (dax-audit-<pid>.expected beside a test JVM's "
                    + "report): marked declared in HTML, suppressed (accepted) in SARIF; repeatable.")
    List<Path> expected = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<ReportDocument> read = new ArrayList<>();
        for (Path report : reports) {
            read.add(ReportDocument.read(report));
        }
        AuditReport report = ReportMerge.of(read);
        ExpectedFindings declared = ExpectedFindings.read(expected);
        if (json != null) {
            try (OutputStream out = Files.newOutputStream(json)) {
                new JsonReportWriter().write(report, out);
            }
        }
        if (sarif != null) {
            Files.writeString(sarif, SarifReport.render(report, sourceRoots, null, declared),
                    StandardCharsets.UTF_8);
        }
        if (html != null) {
            Files.writeString(html, HtmlReport.render(report, null, declared), StandardCharsets.UTF_8);
        }
        if (text || (sarif == null && html == null && json == null)) {
            System.out.print(TextSummary.render(report, reports.size() == 1 ? reports.get(0).toString() : null));
            long count = declared.count(report);
            if (count > 0) {
                System.out.println("dax-audit: " + count + " of these finding(s) declared by @ExpectUnsynced tests: "
                        + "shown, not counted by check");
            }
        }
        return 0;
    }
}
