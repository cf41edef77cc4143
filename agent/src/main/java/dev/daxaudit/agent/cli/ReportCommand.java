package dev.daxaudit.agent.cli;

import dev.daxaudit.agent.report.HtmlReport;
import dev.daxaudit.agent.report.ReportDocument;
import dev.daxaudit.agent.report.SarifReport;
import dev.daxaudit.agent.report.TextSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report <report.json> [--html F] [--sarif F] [--text]}: renders a JSON report in other formats. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render a JSON report: self-contained HTML, SARIF 2.1.0 for code scanning, or the text summary "
                + "(the default).")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<report.json>", description = "A report written by the agent.")
    Path report;

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
        ReportDocument document = ReportDocument.read(report);
        if (sarif != null) {
            Files.writeString(sarif, SarifReport.render(document, sourceRoots), StandardCharsets.UTF_8);
        }
        if (html != null) {
            Files.writeString(html, HtmlReport.render(document), StandardCharsets.UTF_8);
        }
        if (text || (sarif == null && html == null)) {
            System.out.print(TextSummary.render(document, report.toString()));
        }
        return 0;
    }
}
