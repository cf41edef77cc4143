package dev.daxaudit.tools.cli;

import dev.daxaudit.tools.report.ExpectedFindings;
import dev.daxaudit.tools.report.ReportDiff;
import dev.daxaudit.tools.report.ReportDocument;
import dev.daxaudit.tools.report.ReportMerge;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.TextSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code check <report.json>... [--baseline F]}: the CI gate over the reports of a build. Fails on any finding or
 * hazard, or, with a baseline, only on those the baseline does not have (matched as {@code diff} does). A report
 * that cannot be read fails the gate too: it never passes because of an I/O error.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Fail on findings and hazards in the given reports (merged), or with --baseline only on those "
                + "not in the baseline. Exit status 0: passed; 1: failed; 2: bad input.")
final class CheckCommand implements Callable<Integer> {
    static final int FAILED = 1;

    @Parameters(arity = "1..*", paramLabel = "<report.json>", description = "Reports written by the agent.")
    List<Path> reports;

    @Option(names = "--baseline", paramLabel = "F",
            description = "A report of accepted findings: only findings and hazards not in it fail the check.")
    Path baseline;

    @Option(names = "--expected", paramLabel = "F",
            description = "Findings tests declared with @ExpectUnsynced (dax-audit-<pid>.expected beside a test JVM's "
                    + "report): a finding all of whose pages one of them lists does not fail the check.")
    List<Path> expected = new ArrayList<>();

    @Mixin
    PathOptions paths;

    @Override
    public Integer call() throws Exception {
        List<ReportDocument> read = new ArrayList<>();
        for (Path report : reports) {
            read.add(ReportDocument.read(report));
        }
        AuditReport all = ReportMerge.of(read);
        AuditReport merged = ExpectedFindings.read(expected).withoutDeclared(all);
        long declared = all.findings().size() - merged.findings().size();
        if (declared > 0) {
            System.out.println("dax-audit: " + declared + " finding(s) declared by @ExpectUnsynced tests: not counted");
        }
        long findings = merged.findings().size();
        long hazards = merged.hazards().size();
        if (baseline != null) {
            ReportDiff diff = ReportDiff.of(ReportDocument.read(baseline).report(), merged, paths.style());
            if (diff.added().isEmpty()) {
                System.out.println("dax-audit: check passed: " + diff.unchanged() + " finding(s) and hazard(s), all in "
                        + "the baseline " + baseline);
                return 0;
            }
            System.out.println("dax-audit: check failed: " + diff.added().size() + " new finding(s) or hazard(s) "
                    + "not in the baseline " + baseline + ":");
            diff.added().forEach(k -> System.out.println("dax-audit: NEW " + k));
            return FAILED;
        }
        if (findings + hazards == 0) {
            System.out.println("dax-audit: check passed: no finding and no hazard in " + reports.size()
                    + " report(s)");
            return 0;
        }
        System.out.print(TextSummary.render(merged, null));
        System.out.println("dax-audit: check failed: " + findings + " finding(s), " + hazards + " hazard(s) in "
                + reports.size() + " report(s)");
        return FAILED;
    }
}
