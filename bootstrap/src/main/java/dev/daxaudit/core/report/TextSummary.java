package dev.daxaudit.core.report;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;

/**
 * The short human summary of a report; every line starts with {@code dax-audit:}. Rendered from the report's
 * records: by the agent at exit from the report it has just built, and by the command line from a report it read.
 */
public final class TextSummary {
    private static final int MAX_RANGES = 8;
    private static final int MAX_SITES = 5;

    private TextSummary() {
    }

    /** The summary; {@code jsonPath} is where the JSON report went, or null. */
    public static String render(AuditReport r, String jsonPath) {
        StringBuilder sb = new StringBuilder();
        line(sb, r.findings().size() + " finding(s), " + r.unsyncedPages() + " unsynced page(s) in "
                + r.files().size() + " mapped file(s), " + r.hazards().size() + " hazard(s)"
                + (jsonPath == null ? "" : "; report: " + jsonPath));
        if (r.excludedFileCount() > 0) {
            line(sb, "the include/exclude filters kept out " + (r.files().isEmpty() ? "all " : "")
                    + r.excludedFileCount() + " mapped file(s), such as "
                    + (r.excludedFiles().isEmpty() ? "" : r.excludedFiles().get(0))
                    + " (a glob without '/' matches the file name; one with '/' the absolute path)");
        }
        long unaudited = r.unauditedFiles();
        if (unaudited > 0) {
            line(sb, unaudited + " mapped file(s) not audited: " + unauditedReason(r)
                    + " (model=page-cache audits them as if they were on disk)");
        }
        for (Finding f : r.findings()) {
            finding(sb, f);
        }
        for (Hazard h : r.hazards()) {
            line(sb, "HAZARD " + h.kind().code() + " " + h.kind().name() + " " + h.file() + " [" + h.start() + ", "
                    + h.end() + ")" + (h.count() > 1 ? " x" + h.count() : "")
                    + (h.discardedPages() > 0 ? ", " + h.discardedPages() + " unsynced page(s) discarded" : ""));
            for (Actor a : new Actor[] {h.first(), h.second()}) {
                if (a != null) {
                    line(sb, "  " + actor(a));
                }
            }
            line(sb, "  " + h.kind().explanation());
        }
        unseenStores(sb, r);
        trackerChoice(sb, r);
        if (r.detail().summarisedFiles() > 0) {
            line(sb, "per-file detail (mapping history, page map, latencies) summarised for "
                    + r.detail().summarisedFiles() + " file(s) past the memory budget of "
                    + mib(r.detail().budgetBytes()) + " (memory=<MiB> raises it); findings and hazards are complete");
        }
        if (r.internalErrors() > 0) {
            line(sb, r.internalErrors() + " internal error(s) in the agent; the report may be incomplete: "
                    + jsonStrings(r.internalErrorSamples()));
        }
        return sb.toString();
    }

    private static String mib(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }

    /**
     * Files that were forced or fsynced while the store hooks saw no store into them: stores by code no hook reaches
     * (JNI, {@code jdk.internal.misc.Unsafe} reached by reflection) would look exactly so. A hint, not a finding.
     */
    private static void unseenStores(StringBuilder sb, AuditReport r) {
        if (!"bytecode".equals(r.tracker())) {
            return;
        }
        List<String> files = new java.util.ArrayList<>();
        for (FileSummary f : r.files()) {
            if (f.msyncs() + f.fsyncs() + f.cacheFlushes() > 0 && f.pagesDirtied() == 0 && f.storage().audited()) {
                files.add(f.file());
            }
        }
        if (!files.isEmpty()) {
            line(sb, files.size() + " file(s) forced with no store seen, such as " + files.get(0) + ": stores by "
                    + "JNI or reflection into jdk.internal.misc.Unsafe are invisible to tracking=bytecode; tracking=kernel "
                    + "sees them");
        }
    }

    /** Which tracker {@code tracking=auto} ran, and what that costs the findings, so no one is surprised by it. */
    private static void trackerChoice(StringBuilder sb, AuditReport r) {
        if (r.trackerChoice() == null) {
            return;
        }
        line(sb, "kernel".equals(r.tracker())
                ? "stores tracked by the kernel (" + r.trackerChoice() + "): findings name no source line, and "
                        + "stores racing a force, H2 and H4 go unseen; tracking=bytecode sees them"
                : "stores tracked by the store hooks (" + r.trackerChoice() + ")");
    }

    private static void finding(StringBuilder sb, Finding f) {
        line(sb, f.kind().name() + " " + f.file() + ": " + f.pages() + " page(s) " + f.kind().description());
        StringBuilder ranges = new StringBuilder();
        int shown = 0;
        for (PageRange range : f.ranges()) {
            if (shown++ == MAX_RANGES) {
                ranges.append(" ... ").append(f.ranges().size() - MAX_RANGES).append(" more");
                break;
            }
            ranges.append(shown == 1 ? "" : " ").append('[').append(range.start()).append(", ").append(range.end())
                    .append(") unsynced ").append(range.unsyncedMillis()).append(" ms");
        }
        line(sb, "  bytes " + ranges);
        int sites = 0;
        for (SiteCount s : f.sites()) {
            if (sites++ == MAX_SITES) {
                line(sb, "  ... " + (f.sites().size() - MAX_SITES) + " more site(s)");
                break;
            }
            line(sb, "  first stored at " + s.site() + " x" + s.count());
        }
        if (f.storeSitePrecision() != SitePrecision.LINE) {
            line(sb, f.storeSitePrecision() == SitePrecision.METHOD
                    ? "  sites known to the method (sampled write faults in compiled code)"
                    : "  sites unknown: the mapping's site stands in (tracking=kernel, no compiled method sampled)");
        }
        line(sb, "  threads " + String.join(", ", f.threads()));
        if (f.unmapped() != null) {
            line(sb, "  " + f.unmapped().pages() + " page(s) with no mapping left; last unmapped "
                    + actor(f.unmapped().lastUnmap()));
        }
        if (f.closed() != null) {
            line(sb, "  a channel was closed while unsynced: " + actor(f.closed()));
        }
        if (f.race() != null) {
            line(sb, "  " + f.race().pages() + " page(s) stored while a force was in flight: "
                    + actor(f.race().store()) + " vs " + actor(f.race().force()));
        }
        if (f.newBlockPages() > 0) {
            line(sb, "  " + f.newBlockPages() + " page(s) in blocks whose allocation is not durable either");
        }
    }

    /** The reason of the first file that was not audited: all such files are so for the same kind of reason. */
    private static String unauditedReason(AuditReport r) {
        for (FileSummary f : r.files()) {
            if (!f.storage().audited()) {
                String fs = f.storage().filesystem();
                return (fs == null ? "memory-only filesystem" : fs) + " keeps data in memory only";
            }
        }
        return "memory-only filesystem";
    }

    /** {@code operation on thread T at class.method(File.java:line)}. */
    public static String actor(Actor a) {
        return a.operation() + (a.thread() == null ? "" : " on thread " + a.thread())
                + (a.site() == null ? "" : " at " + a.site());
    }

    /** As JSON writes a list of strings: {@code ["a","b"]}. */
    private static String jsonStrings(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            sb.append(sb.length() == 1 ? "" : ",").append('"')
                    .append(JsonStringEncoder.getInstance().quoteAsString(v)).append('"');
        }
        return sb.append(']').toString();
    }

    private static void line(StringBuilder sb, String text) {
        sb.append("dax-audit: ").append(text).append(System.lineSeparator());
    }
}
