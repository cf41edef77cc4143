package dev.daxaudit.tools.report;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Distribution;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.Hazard;

import java.util.ArrayList;
import java.util.List;

/**
 * Several reports as one: a build runs its tests in several JVMs (Surefire forks, Failsafe), each writing its own
 * report, and CI wants one verdict. Findings, hazards, files, excluded files and internal errors are concatenated
 * and counted again; distributions cannot be merged exactly from percentiles, so the merged one keeps the total
 * count and, for each percentile, the highest of the inputs (an upper bound), without a curve.
 */
public final class ReportMerge {
    /** Internal error samples kept in a merge, as the agent keeps in one report. */
    private static final int SAMPLES = 5;

    private ReportMerge() {
    }

    /** The reports as one; a single report as it is. */
    public static AuditReport of(List<ReportDocument> reports) {
        AuditReport first = reports.get(0).report();
        if (reports.size() == 1) {
            return first;
        }
        List<Finding> findings = new ArrayList<>();
        List<Hazard> hazards = new ArrayList<>();
        List<FileSummary> files = new ArrayList<>();
        List<String> errorSamples = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        long internalErrors = 0;
        long excludedCount = 0;
        long summarised = 0;
        long budget = 0;
        for (ReportDocument document : reports) {
            AuditReport r = document.report();
            findings.addAll(r.findings());
            hazards.addAll(r.hazards());
            files.addAll(r.files());
            for (String sample : r.internalErrorSamples()) {
                if (errorSamples.size() < SAMPLES) {
                    errorSamples.add(sample);
                }
            }
            for (String file : r.excludedFiles()) {
                if (excluded.size() < AuditReport.EXCLUDED_LISTED) {
                    excluded.add(file);
                }
            }
            internalErrors += r.internalErrors();
            excludedCount += r.excludedFileCount();
            summarised += r.detail().summarisedFiles();
            budget = Math.max(budget, r.detail().budgetBytes());
        }
        return new AuditReport(first.schemaVersion(), first.toolVersion(), "merged from " + reports.size()
                + " reports", first.jvm(), first.workingDirectory(), first.options(), excluded, excludedCount,
                findings, hazards, bound(reports, true), bound(reports, false), files, internalErrors, errorSamples,
                first.hookedTypes(), first.memorySegments(), first.tracker(), first.trackerChoice(), first.lateAttach(), first.blindSpots(),
                new AuditReport.Detail(budget, summarised));
    }

    /** The total count and, for each percentile, the highest of the inputs; no curve. */
    private static Distribution bound(List<ReportDocument> reports, boolean syncLag) {
        long count = 0;
        double p50 = 0;
        double p90 = 0;
        double p99 = 0;
        double max = 0;
        for (ReportDocument document : reports) {
            Distribution d = syncLag ? document.report().syncLag() : document.report().writebackLatency();
            count += d.count();
            p50 = Math.max(p50, d.p50Millis());
            p90 = Math.max(p90, d.p90Millis());
            p99 = Math.max(p99, d.p99Millis());
            max = Math.max(max, d.maxMillis());
        }
        return new Distribution(count, p50, p90, p99, max, List.of());
    }

}
