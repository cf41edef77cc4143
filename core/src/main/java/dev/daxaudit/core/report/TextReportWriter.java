package dev.daxaudit.core.report;

import java.io.PrintStream;

/** The short human summary printed on stderr at exit; every line starts with {@code dax-audit:}. */
public final class TextReportWriter {
    private static final int MAX_RANGES = 8;
    private static final int MAX_SITES = 5;

    public void write(AuditReport report, String jsonPath, PrintStream out) {
        StringBuilder sb = new StringBuilder();
        line(sb, report.findings().size() + " finding(s), " + report.unsyncedPages() + " unsynced page(s) in "
                + report.files().size() + " mapped file(s), " + report.hazards().size() + " hazard(s)"
                + (jsonPath == null ? "" : "; report: " + jsonPath));
        for (Finding f : report.findings()) {
            line(sb, f.kind() + " " + f.file() + ": " + f.pages() + " page(s) " + f.kind().description());
            StringBuilder ranges = new StringBuilder();
            for (int i = 0; i < f.ranges().size() && i < MAX_RANGES; i++) {
                PageRange r = f.ranges().get(i);
                ranges.append(i == 0 ? "" : " ").append('[').append(r.start()).append(", ").append(r.end())
                        .append(") unsynced ").append(r.unsyncedMillis()).append(" ms");
            }
            if (f.ranges().size() > MAX_RANGES) {
                ranges.append(" ... ").append(f.ranges().size() - MAX_RANGES).append(" more");
            }
            line(sb, "  bytes " + ranges);
            for (int i = 0; i < f.sites().size() && i < MAX_SITES; i++) {
                SiteCount s = f.sites().get(i);
                line(sb, "  first dirtied at " + s.site() + " x" + s.count());
            }
            line(sb, "  threads " + String.join(", ", f.threads()));
            if (f.cause() != null) {
                line(sb, "  " + f.cause().event() + " at " + f.cause().site() + " on thread " + f.cause().thread());
            }
        }
        for (Hazard h : report.hazards()) {
            line(sb, "HAZARD " + h.kind().code() + " " + h.kind() + " " + h.file() + " [" + h.start() + ", " + h.end()
                    + ")" + (h.finding() >= 0 ? " (see finding " + h.finding() + ")" : ""));
            for (Actor a : new Actor[] {h.first(), h.second()}) {
                if (a != null) {
                    line(sb, "  " + a.operation() + (a.thread() == null ? "" : " on thread " + a.thread())
                            + (a.site() == null ? "" : " at " + a.site()));
                }
            }
            line(sb, "  " + h.kind().explanation());
        }
        if (report.internalErrors() > 0) {
            line(sb, report.internalErrors() + " internal error(s) in the agent; the report may be incomplete: "
                    + report.internalErrorSamples());
        }
        out.print(sb);
        out.flush();
    }

    private static void line(StringBuilder sb, String text) {
        sb.append("dax-audit: ").append(text).append(System.lineSeparator());
    }
}
