package dev.daxaudit.agent.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * A report as one self-contained HTML file: inline CSS and SVG, no script or font fetched from anywhere, readable
 * offline. It shows the summary, a page map per file, the findings with their sites, the hazards, the
 * durability-lag and writeback-latency distributions (percentile plots from HdrHistogram), and bytes stored
 * against bytes flushed.
 */
public final class HtmlReport {
    private static final int PLOT_W = 520;
    private static final int PLOT_H = 220;
    private static final int FILE_PLOT_W = 380;
    private static final int FILE_PLOT_H = 150;
    private static final int CELL = 12;
    private static final int CELLS_PER_ROW = 64;

    private HtmlReport() {
    }

    public static String render(ReportDocument report) {
        JsonNode r = report.root();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>dax-audit report</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fafbfc}")
                .append("h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #d0d7de}")
                .append("table{border-collapse:collapse;margin:8px 0;max-width:100%}td,th{border:1px solid #d0d7de;")
                .append("overflow-wrap:anywhere;padding:4px 8px;")
                .append("text-align:left;vertical-align:top}th{background:#eef1f4}code{font-size:12px}")
                .append(".cards{display:flex;gap:12px}.card{background:#fff;border:1px solid #d0d7de;padding:10px 16px;")
                .append("border-radius:6px}.card b{display:block;font-size:22px}.bad b{color:#c62828}")
                .append(".file{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px;margin:12px 0}")
                .append(".legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:10px;")
                .append("height:10px;margin-right:4px}.U{fill:#d32f2f;background:#d32f2f}.S{fill:#43a047;")
                .append("background:#43a047}.C{fill:#cfd8dc;background:#cfd8dc}.plots{display:flex;gap:24px;")
                .append("flex-wrap:wrap}figure{margin:8px 0}svg text{font:11px system-ui,sans-serif}</style></head><body>");
        summary(h, r);
        files(h, r);
        findings(h, r);
        hazards(h, r);
        distributions(h, r);
        h.append("<script>window.addEventListener('error',function(e){document.body.dataset.errors=")
                .append("(document.body.dataset.errors||'')+e.message;});document.body.dataset.rendered='ok';")
                .append("</script></body></html>");
        return h.toString();
    }

    private static void summary(StringBuilder h, JsonNode r) {
        JsonNode s = r.path("summary");
        h.append("<h1>dax-audit report</h1><p>").append(esc(r.path("jvm").asText())).append(" &middot; ")
                .append(esc(r.path("reason").asText())).append("</p><section id=\"summary\" class=\"cards\">");
        card(h, "findings", s.path("findings").asLong(), s.path("findings").asLong() > 0);
        card(h, "unsynced pages", s.path("unsyncedPages").asLong(), s.path("unsyncedPages").asLong() > 0);
        card(h, "hazards", s.path("hazards").asLong(), s.path("hazards").asLong() > 0);
        card(h, "mapped files", s.path("files").asLong(), false);
        if (s.path("unauditedFiles").asLong() > 0) {
            card(h, "not audited", s.path("unauditedFiles").asLong(), false);
        }
        card(h, "agent errors", r.path("agent").path("internalErrors").asLong(),
                r.path("agent").path("internalErrors").asLong() > 0);
        h.append("</section>");
    }

    private static void card(StringBuilder h, String label, long value, boolean bad) {
        h.append("<div class=\"card").append(bad ? " bad" : "").append("\" data-count=\"").append(label)
                .append("\"><b>").append(value).append("</b>").append(label).append("</div>");
    }

    private static void files(StringBuilder h, JsonNode r) {
        h.append("<h2>Files</h2><div class=\"legend\"><span><i class=\"sw U\"></i>unsynced</span><span><i class=\"sw S\">")
                .append("</i>dirtied, then synced</span><span><i class=\"sw C\"></i>never dirtied</span></div>")
                .append("<section id=\"files\">");
        long maxBytes = 1;
        for (JsonNode f : r.path("files")) {
            maxBytes = Math.max(maxBytes, Math.max(f.path("bytesStored").asLong(0), f.path("bytesFlushed").asLong()));
        }
        for (JsonNode f : r.path("files")) {
            JsonNode map = f.path("pageMap");
            h.append("<div class=\"file\" data-file=\"").append(esc(f.path("file").asText())).append("\"><h3><code>")
                    .append(esc(f.path("file").asText())).append("</code></h3><p>").append(map.path("pages").asLong())
                    .append(" pages")
                    .append(map.path("pagesPerCell").asLong() > 1 ? ", " + map.path("pagesPerCell").asLong()
                            + " pages per cell" : "")
                    .append("</p><p class=\"storage\">model: <b>")
                    .append(esc(f.path("storage").path("model").asText())).append("</b>")
                    .append(f.path("storage").path("audited").asBoolean(true) ? "" : " (not audited)")
                    .append(" &middot; ").append(esc(f.path("storage").path("reason").asText())).append("</p>");
            pageMap(h, map.path("cells").asText());
            h.append("<table><tr><th>pages dirtied</th><th>write faults (PMD)</th><th>msyncs</th>")
                    .append("<th>cache flushes</th><th>fsyncs</th>")
                    .append("<th>bytes stored</th><th>bytes flushed</th><th>flush amplification</th>")
                    .append("<th>sync lag p50 / p99 / max</th><th>writeback p50 / p99 / max</th></tr><tr><td>")
                    .append(f.path("pagesDirtied").asLong()).append("</td><td>").append(f.path("faults").asLong())
                    .append(" (").append(f.path("pmdFaults").asLong()).append(")</td><td>")
                    .append(f.path("msyncs").asLong())
                    .append("</td><td>").append(f.path("cacheFlushes").asLong()).append("</td><td>")
                    .append(f.path("fsyncs").asLong()).append("</td><td>")
                    .append(f.path("bytesStored").isNull() ? "not counted" : f.path("bytesStored").asText())
                    .append("</td><td>").append(f.path("bytesFlushed").asLong()).append("</td><td>")
                    .append(f.path("bytesStored").isNull() || f.path("bytesStored").asLong() == 0 ? "&mdash;"
                            : String.format(Locale.ROOT, "%.1fx", f.path("bytesFlushed").asDouble()
                            / f.path("bytesStored").asDouble()))
                    .append("</td><td>").append(triple(f.path("syncLag"))).append("</td><td>")
                    .append(triple(f.path("writebackLatency"))).append("</td></tr></table>");
            bars(h, f, maxBytes);
            h.append("<div class=\"plots\">");
            plot(h, null, "Durability lag of this file", f.path("syncLag"));
            plot(h, null, "Writeback latency of this file", f.path("writebackLatency"));
            h.append("</div></div>");
        }
        h.append("</section>");
    }

    private static void pageMap(StringBuilder h, String cells) {
        int rows = (cells.length() + CELLS_PER_ROW - 1) / CELLS_PER_ROW;
        h.append("<svg class=\"pagemap\" width=\"").append(CELLS_PER_ROW * CELL).append("\" height=\"")
                .append(Math.max(rows, 1) * CELL).append("\" role=\"img\" aria-label=\"page map\">");
        for (int i = 0; i < cells.length(); i++) {
            h.append("<rect class=\"").append(cells.charAt(i)).append("\" x=\"").append((i % CELLS_PER_ROW) * CELL)
                    .append("\" y=\"").append((i / CELLS_PER_ROW) * CELL).append("\" width=\"").append(CELL - 1)
                    .append("\" height=\"").append(CELL - 1).append("\"/>");
        }
        h.append("</svg>");
    }

    /** Bytes stored against bytes flushed, on one scale across files: flush amplification, whole PMDs included. */
    private static void bars(StringBuilder h, JsonNode f, long maxBytes) {
        int w = 420;
        long stored = f.path("bytesStored").asLong(0);
        long flushed = f.path("bytesFlushed").asLong();
        h.append("<svg class=\"bytes\" width=\"").append(w + 160).append("\" height=\"44\">");
        if (f.path("bytesStored").isNull()) {
            h.append("<text x=\"0\" y=\"14\">stored</text><text x=\"66\" y=\"14\">not counted (storedBytes=true ")
                    .append("counts it)</text>");
        } else {
            bar(h, 0, "stored", stored, maxBytes, w, "#1e88e5");
        }
        bar(h, 22, "flushed", flushed, maxBytes, w, "#8e24aa");
        h.append("</svg>");
    }

    private static void bar(StringBuilder h, int y, String label, long value, long max, int w, String color) {
        long len = Math.max(value == 0 ? 0 : 1, value * w / max);
        h.append("<text x=\"0\" y=\"").append(y + 14).append("\">").append(label).append("</text><rect x=\"60\" y=\"")
                .append(y + 3).append("\" width=\"").append(len).append("\" height=\"14\" fill=\"").append(color)
                .append("\"/><text x=\"").append(66 + len).append("\" y=\"").append(y + 14).append("\">").append(value)
                .append(" B</text>");
    }

    private static void findings(StringBuilder h, JsonNode r) {
        h.append("<h2>Findings</h2><table id=\"findings\"><tr><th>kind</th><th>file</th><th>unsynced bytes</th>")
                .append("<th>first stored at</th><th>threads</th><th>what happened</th></tr>");
        for (JsonNode f : r.path("findings")) {
            h.append("<tr class=\"finding\" data-kind=\"").append(esc(f.path("kind").asText())).append("\"><td>")
                    .append(esc(f.path("kind").asText())).append("</td><td><code>").append(esc(f.path("file").asText()))
                    .append("</code></td><td>");
            for (JsonNode range : f.path("ranges")) {
                h.append('[').append(range.path("start").asLong()).append(", ").append(range.path("end").asLong())
                        .append(") ").append(range.path("unsyncedMillis").asDouble()).append(" ms<br>");
            }
            h.append("</td><td>");
            for (JsonNode s : f.path("sites")) {
                h.append("<code class=\"site\">").append(esc(TextSummary.site(s))).append("</code> &times;")
                        .append(s.path("count").asLong()).append("<br>");
            }
            h.append("</td><td>").append(esc(TextSummary.join(f.path("threads")))).append("</td><td>")
                    .append(esc(f.path("explanation").asText())).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void hazards(StringBuilder h, JsonNode r) {
        h.append("<h2>Hazards</h2><table id=\"hazards\"><tr><th>hazard</th><th>file, bytes</th><th>one side</th>")
                .append("<th>other side</th><th>what can go wrong</th></tr>");
        for (JsonNode z : r.path("hazards")) {
            h.append("<tr class=\"hazard\" data-code=\"").append(esc(z.path("code").asText())).append("\"><td>")
                    .append(esc(z.path("code").asText() + " " + z.path("kind").asText())).append("</td><td><code>")
                    .append(esc(z.path("file").asText())).append("</code> [").append(z.path("start").asLong())
                    .append(", ").append(z.path("end").asLong()).append(")")
                    .append(z.path("count").asLong(1) > 1 ? " &times;" + z.path("count").asLong() : "").append("</td>");
            for (JsonNode a : z.path("threads")) {
                h.append("<td>").append(a.isNull() ? "" : esc(a.path("operation").asText() + " on "
                        + a.path("thread").asText() + (a.path("site").isNull() ? "" : " at "
                        + TextSummary.site(a.path("site"))))).append("</td>");
            }
            h.append("<td>").append(esc(z.path("explanation").asText())).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void distributions(StringBuilder h, JsonNode r) {
        h.append("<h2>Distributions</h2><section id=\"distributions\" class=\"plots\">");
        plot(h, "syncLag", "Durability lag: first dirtying store to the writeback that made it durable",
                r.path("distributions").path("syncLag"));
        plot(h, "writebackLatency", "Writeback latency: force and fsync durations",
                r.path("distributions").path("writebackLatency"));
        h.append("</section>");
    }

    /**
     * A percentile plot: x is 1/(1-p) on a log scale (as HdrHistogram plots), y milliseconds. {@code id} null: one
     * of a file's own plots.
     */
    private static void plot(StringBuilder h, String id, String title, JsonNode d) {
        int width = id == null ? FILE_PLOT_W : PLOT_W;
        int height = id == null ? FILE_PLOT_H : PLOT_H;
        h.append(id == null ? "<figure class=\"file-plot\"><figcaption>" : "<figure id=\"" + id + "\"><figcaption>")
                .append(esc(title)).append("<br>")
                .append(d.path("count").asLong()).append(" values; ").append(triple(d)).append("</figcaption>")
                .append("<svg width=\"").append(width).append("\" height=\"").append(height).append("\">")
                .append("<rect x=\"40\" y=\"10\" width=\"").append(width - 50).append("\" height=\"")
                .append(height - 40).append("\" fill=\"#fff\" stroke=\"#d0d7de\"/>");
        JsonNode points = d.path("percentiles");
        double maxY = Math.max(d.path("maxMillis").asDouble(), 0.001);
        double maxX = Math.log10(1 / (1 - 0.9999));
        StringBuilder line = new StringBuilder();
        for (JsonNode p : points) {
            double pct = Math.min(p.path("percentile").asDouble(), 99.99) / 100.0;
            double x = 40 + (width - 50) * Math.log10(1 / (1 - pct)) / maxX;
            double y = 10 + (height - 40) * (1 - p.path("millis").asDouble() / maxY);
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        if (line.length() > 0) {
            h.append("<polyline class=\"curve\" fill=\"none\" stroke=\"#1e88e5\" stroke-width=\"2\" points=\"")
                    .append(line.toString().trim()).append("\"/>");
        } else {
            h.append("<text x=\"60\" y=\"100\">no values</text>");
        }
        String[] ticks = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int i = 0; i < ticks.length; i++) {
            h.append("<text x=\"").append(40 + (width - 50) * i / 4 - (i == ticks.length - 1 ? 34 : 8))
                    .append("\" y=\"").append(height - 14)
                    .append("\">").append(ticks[i]).append("</text>");
        }
        h.append("<text x=\"2\" y=\"20\">").append(String.format(Locale.ROOT, "%.2f", maxY))
                .append("</text><text x=\"2\" y=\"").append(height - 30).append("\">0 ms</text></svg></figure>");
    }

    private static String triple(JsonNode d) {
        return String.format(Locale.ROOT, "%.3f / %.3f / %.3f ms", d.path("p50Millis").asDouble(),
                d.path("p99Millis").asDouble(), d.path("maxMillis").asDouble());
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '&': sb.append("&amp;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&#39;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }
}
