package dev.daxaudit.tools.report;

import com.fasterxml.jackson.databind.JsonNode;

/** The short human summary of a report; every line starts with {@code dax-audit:}. */
public final class TextSummary {
    private static final int MAX_RANGES = 8;
    private static final int MAX_SITES = 5;

    private TextSummary() {
    }

    public static String render(ReportDocument report, String jsonPath) {
        JsonNode r = report.root();
        StringBuilder sb = new StringBuilder();
        JsonNode summary = r.path("summary");
        line(sb, summary.path("findings").asLong() + " finding(s), " + summary.path("unsyncedPages").asLong()
                + " unsynced page(s) in " + summary.path("files").asLong() + " mapped file(s), "
                + summary.path("hazards").asLong() + " hazard(s)" + (jsonPath == null ? "" : "; report: " + jsonPath));
        long excluded = summary.path("excludedFiles").asLong();
        if (excluded > 0) {
            line(sb, "the include/exclude filters kept out " + (summary.path("files").asLong() == 0 ? "all " : "")
                    + excluded + " mapped file(s), such as " + r.path("agent").path("excludedFiles").path(0).asText()
                    + " (a glob without '/' matches the file name; one with '/' the absolute path)");
        }
        long unaudited = summary.path("unauditedFiles").asLong();
        if (unaudited > 0) {
            line(sb, unaudited + " mapped file(s) not audited: " + unauditedReason(r)
                    + " (model=page-cache audits them as if they were on disk)");
        }
        for (JsonNode f : r.path("findings")) {
            line(sb, f.path("kind").asText() + " " + f.path("file").asText() + ": " + f.path("pages").asLong()
                    + " page(s) " + f.path("message").asText());
            StringBuilder ranges = new StringBuilder();
            int shown = 0;
            for (JsonNode range : f.path("ranges")) {
                if (shown++ == MAX_RANGES) {
                    ranges.append(" ... ").append(f.path("ranges").size() - MAX_RANGES).append(" more");
                    break;
                }
                ranges.append(shown == 1 ? "" : " ").append('[').append(range.path("start").asLong()).append(", ")
                        .append(range.path("end").asLong()).append(") unsynced ")
                        .append(range.path("unsyncedMillis").asDouble()).append(" ms");
            }
            line(sb, "  bytes " + ranges);
            int sites = 0;
            for (JsonNode s : f.path("sites")) {
                if (sites++ == MAX_SITES) {
                    line(sb, "  ... " + (f.path("sites").size() - MAX_SITES) + " more site(s)");
                    break;
                }
                line(sb, "  first stored at " + site(s) + " x" + s.path("count").asLong());
            }
            line(sb, "  threads " + join(f.path("threads")));
            JsonNode unmapped = f.path("unmapped");
            if (unmapped.isObject()) {
                line(sb, "  " + unmapped.path("pages").asLong() + " page(s) with no mapping left; last unmapped "
                        + actor(unmapped.path("lastUnmap")));
            }
            if (f.path("closed").isObject()) {
                line(sb, "  a channel was closed while unsynced: " + actor(f.path("closed")));
            }
            JsonNode race = f.path("race");
            if (race.isObject()) {
                line(sb, "  " + race.path("pages").asLong() + " page(s) stored while a force was in flight: "
                        + actor(race.path("store")) + " vs " + actor(race.path("force")));
            }
            long newBlocks = f.path("newBlocks").path("metadataNotDurable").asLong();
            if (newBlocks > 0) {
                line(sb, "  " + newBlocks + " page(s) in blocks whose allocation is not durable either");
            }
        }
        for (JsonNode h : r.path("hazards")) {
            long count = h.path("count").asLong(1);
            line(sb, "HAZARD " + h.path("code").asText() + " " + h.path("kind").asText() + " " + h.path("file").asText()
                    + " [" + h.path("start").asLong() + ", " + h.path("end").asLong() + ")"
                    + (count > 1 ? " x" + count : "")
                    + (h.path("discardedPages").asLong() > 0 ? ", " + h.path("discardedPages").asLong()
                    + " unsynced page(s) discarded" : ""));
            for (JsonNode a : h.path("threads")) {
                if (!a.isNull()) {
                    line(sb, "  " + actor(a));
                }
            }
            line(sb, "  " + h.path("explanation").asText());
        }
        long errors = r.path("agent").path("internalErrors").asLong();
        if (errors > 0) {
            line(sb, errors + " internal error(s) in the agent; the report may be incomplete: "
                    + r.path("agent").path("internalErrorSamples"));
        }
        return sb.toString();
    }

    /** The reason of the first file that was not audited: all such files are so for the same kind of reason. */
    private static String unauditedReason(JsonNode r) {
        for (JsonNode f : r.path("files")) {
            if (!f.path("storage").path("audited").asBoolean(true)) {
                return f.path("storage").path("filesystem").asText("memory-only filesystem")
                        + " keeps data in memory only";
            }
        }
        return "memory-only filesystem";
    }

    /** {@code operation on thread T at class.method(File.java:line)}. */
    static String actor(JsonNode a) {
        return a.path("operation").asText() + (a.path("thread").isNull() || a.path("thread").isMissingNode() ? ""
                : " on thread " + a.path("thread").asText())
                + (a.path("site").isNull() || a.path("site").isMissingNode() ? "" : " at " + site(a.path("site")));
    }

    /** {@code class.method(File.java:line)}, as a stack trace shows it. */
    static String site(JsonNode s) {
        String file = s.path("fileName").isNull() || s.path("fileName").isMissingNode() ? "Unknown Source"
                : s.path("line").asInt() >= 0 ? s.path("fileName").asText() + ":" + s.path("line").asInt()
                : s.path("fileName").asText();
        return s.path("className").asText() + "." + s.path("method").asText() + "(" + file + ")";
    }

    static String join(JsonNode values) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(v.asText());
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String text) {
        sb.append("dax-audit: ").append(text).append(System.lineSeparator());
    }
}
