package dev.daxaudit.agent.report;

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
                    break;
                }
                line(sb, "  first dirtied at " + site(s) + " x" + s.path("count").asLong());
            }
            StringBuilder threads = new StringBuilder();
            for (JsonNode t : f.path("threads")) {
                threads.append(threads.length() == 0 ? "" : ", ").append(t.asText());
            }
            line(sb, "  threads " + threads);
            JsonNode cause = f.path("cause");
            if (!cause.isMissingNode()) {
                line(sb, "  " + cause.path("event").asText() + " at " + site(cause.path("site")) + " on thread "
                        + cause.path("thread").asText());
            }
        }
        for (JsonNode h : r.path("hazards")) {
            line(sb, "HAZARD " + h.path("code").asText() + " " + h.path("kind").asText() + " " + h.path("file").asText()
                    + " [" + h.path("start").asLong() + ", " + h.path("end").asLong() + ")"
                    + (h.path("finding").isNull() ? "" : " (see finding " + h.path("finding").asInt() + ")"));
            for (JsonNode a : h.path("threads")) {
                if (!a.isNull()) {
                    line(sb, "  " + a.path("operation").asText()
                            + (a.path("thread").isNull() ? "" : " on thread " + a.path("thread").asText())
                            + (a.path("site").isNull() ? "" : " at " + site(a.path("site"))));
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

    /** {@code class.method(File.java:line)}, as a stack trace shows it. */
    static String site(JsonNode s) {
        String file = s.path("fileName").isNull() || s.path("fileName").isMissingNode() ? "Unknown Source"
                : s.path("line").asInt() >= 0 ? s.path("fileName").asText() + ":" + s.path("line").asInt()
                : s.path("fileName").asText();
        return s.path("className").asText() + "." + s.path("method").asText() + "(" + file + ")";
    }

    private static void line(StringBuilder sb, String text) {
        sb.append("dax-audit: ").append(text).append(System.lineSeparator());
    }
}
