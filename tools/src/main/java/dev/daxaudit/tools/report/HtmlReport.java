package dev.daxaudit.tools.report;

import dev.daxaudit.core.report.Actor;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Distribution;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.Hazard;
import dev.daxaudit.core.report.MappingSummary;
import dev.daxaudit.core.report.PageMap;
import dev.daxaudit.core.report.PageRange;
import dev.daxaudit.core.report.SiteCount;
import dev.daxaudit.core.report.SitePrecision;
import dev.daxaudit.core.report.StorageSummary;
import dev.daxaudit.core.report.TextSummary;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * A report as one self-contained HTML file for people: inline CSS, SVG and script, nothing fetched, readable
 * offline. The verdict comes first (summary cards and one sentence), then the findings and hazards with their sites,
 * threads, byte ranges and plain explanation, then the files. Files are one sortable table row each, so a log with
 * hundreds of index files stays one screen per hundred; a file's page map (cells that show their byte offsets on
 * hover), mappings and distribution plots are built by the page's script only when the row is opened, from data
 * embedded as JSON. A distribution with too few values shows "—", and is not plotted.
 */
public final class HtmlReport {
    /** Fewer values than this are not plotted: a percentile curve of three points says nothing. */
    static final int MIN_PLOTTED = 10;
    private static final int SHOWN_RANGES = 4;

    private HtmlReport() {
    }

    public static String render(AuditReport report) {
        return render(report, null);
    }

    /** The report with a section on crash states when {@code crash} (a crash-test's crash-report.json) is given. */
    public static String render(AuditReport r, JsonNode crash) {
        return render(r, crash, ExpectedFindings.NONE);
    }

    /**
     * As {@link #render(AuditReport, JsonNode)}, each finding a test declared ({@code expected}) shown as such, with
     * the test, and not counted against the verdict.
     */
    public static String render(AuditReport r, JsonNode crash, ExpectedFindings expected) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>dax-audit report</title><style>")
                .append(CSS).append("</style></head><body>");
        summary(h, r, crash == null ? 0 : crash.path("states").path("failed").asLong(), expected.count(r));
        if (crash != null) {
            crashStates(h, crash);
        }
        findings(h, r, expected);
        hazards(h, r);
        files(h, r);
        distributions(h, r);
        h.append("<script type=\"application/json\" id=\"dax-data\">")
                .append(data(r).toString().replace("</", "<\\/")).append("</script><script>").append(SCRIPT)
                .append("</script></body></html>");
        return h.toString();
    }

    /**
     * The cards and the verdict; crash-test's failed states ({@code crashFailed}) come first when there are any.
     * {@code declared} of the findings were declared by tests: shown, never against the verdict.
     */
    private static void summary(StringBuilder h, AuditReport r, long crashFailed, long declared) {
        long findings = r.findings().size() - declared;
        long hazards = r.hazards().size();
        h.append("<h1>dax-audit report</h1><p class=\"meta\">").append(esc(text(r.jvm()))).append(" &middot; ")
                .append(esc(text(r.reason()))).append(" &middot; ")
                .append(esc(r.workingDirectory() == null ? "" : r.workingDirectory()));
        if ("kernel".equals(r.tracker())) {
            h.append(" &middot; stores tracked by the kernel (").append(esc(r.trackerChoice() == null ? "tracking=kernel"
                    : r.trackerChoice())).append("): sites are where files were mapped, or the methods that stored");
        }
        h.append("</p><section id=\"summary\" class=\"cards\">");
        if (crashFailed > 0) {
            card(h, "failed crash states", crashFailed, true);
        }
        card(h, "findings", findings, findings > 0);
        if (declared > 0) {
            card(h, "declared by tests", declared, false);
        }
        card(h, "unsynced pages", r.unsyncedPages(), r.unsyncedPages() > 0);
        card(h, "hazards", hazards, hazards > 0);
        card(h, "mapped files", r.files().size(), false);
        if (r.unauditedFiles() > 0) {
            card(h, "not audited", r.unauditedFiles(), false);
        }
        if (r.excludedFileCount() > 0) {
            card(h, "excluded by filters", r.excludedFileCount(), false);
        }
        card(h, "agent errors", r.internalErrors(), r.internalErrors() > 0);
        if (r.detail().summarisedFiles() > 0) {
            card(h, "files summarised past memory=", r.detail().summarisedFiles(), false);
        }
        h.append("</section><p id=\"verdict\" class=\"").append(findings + hazards + crashFailed > 0 ? "bad" : "good")
                .append("\">");
        if (crashFailed > 0) {
            h.append(crashFailed).append(crashFailed == 1 ? " crash state" : " crash states")
                    .append(" failed the recovery check (see Crash states). ");
        }
        if (findings + hazards == 0 && declared > 0) {
            h.append("Every finding was declared by a test (@ExpectUnsynced), and no hazard was seen.");
        } else if (findings + hazards == 0) {
            h.append("Every store through a mapped file was made durable by a force or fsync, and no hazard was seen.");
        } else {
            java.util.Set<String> files = new java.util.HashSet<>();
            r.findings().forEach(f -> files.add(f.file()));
            h.append(findings).append(findings == 1 ? " finding" : " findings").append(": stores in ")
                    .append(files.size()).append(files.size() == 1 ? " file" : " files")
                    .append(" that no force or fsync made durable")
                    .append(hazards > 0 ? "; " + hazards + (hazards == 1 ? " hazard" : " hazards") + " seen" : "")
                    .append(".");
        }
        h.append("</p>");
    }

    private static void card(StringBuilder h, String label, long value, boolean bad) {
        h.append("<div class=\"card").append(bad ? " bad" : "").append("\" data-count=\"").append(label)
                .append("\"><b>").append(value).append("</b>").append(label).append("</div>");
    }

    private static void findings(StringBuilder h, AuditReport r, ExpectedFindings expected) {
        h.append("<h2>Findings</h2>");
        if (r.findings().isEmpty()) {
            h.append("<p class=\"none\">None.</p>");
            return;
        }
        h.append("<table id=\"findings\" class=\"sortable\"><thead><tr><th>file</th><th class=\"num\">pages</th>")
                .append("<th>unsynced bytes</th>")
                .append("<th>first stored at</th><th>threads</th><th>what happened</th></tr></thead><tbody>");
        for (Finding f : r.findings()) {
            String declaredBy = expected.declaredBy(f);
            h.append("<tr class=\"finding").append(declaredBy != null ? " declared" : "")
                    .append("\" data-kind=\"").append(esc(f.kind().name()))
                    .append("\"><td class=\"file\" data-sort=\"").append(esc(f.file())).append("\">");
            file(h, f.file());
            h.append("</td><td class=\"num\" data-sort=\"").append(f.pages()).append("\">")
                    .append(f.pages()).append("</td><td class=\"ranges\">");
            ranges(h, f.ranges());
            h.append("</td><td class=\"sites\">");
            for (SiteCount s : f.sites()) {
                h.append("<code class=\"site\">").append(esc(String.valueOf(s.site()))).append("</code> &times;")
                        .append(s.count()).append("<br>");
            }
            if (f.storeSitePrecision() != SitePrecision.LINE) {
                h.append("<small class=\"precision\">").append(f.storeSitePrecision() == SitePrecision.METHOD
                        ? "known to the method" : "unknown: where the file was mapped").append("</small>");
            }
            h.append("</td><td>").append(esc(String.join(", ", f.threads()))).append("</td><td class=\"why\">");
            if (declaredBy != null) {
                h.append("<b class=\"declared\">Declared by @ExpectUnsynced in ").append(esc(declaredBy))
                        .append(":</b> not counted. ");
            }
            h.append(esc(text(f.explanation()))).append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    /** A file as its name, with the whole path on hover and underneath in small print. */
    private static void file(StringBuilder h, String path) {
        int slash = path.lastIndexOf('/');
        h.append("<span class=\"name\" title=\"").append(esc(path)).append("\">").append(esc(path.substring(slash + 1)))
                .append("</span><br><small>").append(esc(slash <= 0 ? "/" : path.substring(0, slash))).append("</small>");
    }

    private static void ranges(StringBuilder h, List<PageRange> ranges) {
        int shown = 0;
        for (PageRange range : ranges) {
            if (shown++ == SHOWN_RANGES) {
                h.append("<details><summary>").append(ranges.size() - SHOWN_RANGES).append(" more</summary>");
            }
            h.append('[').append(range.start()).append(", ").append(range.end())
                    .append(") <small>").append(range.unsyncedMillis()).append(" ms</small><br>");
        }
        if (shown > SHOWN_RANGES) {
            h.append("</details>");
        }
    }

    /** crash-test's verdict: every failing crash state, with the pages that did and did not reach the media. */
    private static void crashStates(StringBuilder h, JsonNode crash) {
        JsonNode states = crash.path("states");
        long failed = states.path("failed").asLong();
        h.append("<h2>Crash states</h2><p id=\"crash-verdict\" class=\"").append(failed > 0 ? "bad" : "good")
                .append("\">").append(crash.path("crashPoints").size()).append(" crash point(s), ")
                .append(states.path("yielded").asLong()).append(" state(s), ").append(states.path("distinct").asLong())
                .append(" distinct, ").append(states.path("checked").asLong()).append(" checked")
                .append(states.path("capped").asBoolean() ? " (capped)" : "").append(": ")
                .append(failed == 0 ? "the recovery check accepted every state." : failed + " failed.").append("</p>");
        if (failed == 0) {
            return;
        }
        h.append("<table id=\"crash-states\"><thead><tr><th>state</th><th>crash point</th><th>not persisted</th>")
                .append("<th>persisted</th><th>recovery check</th><th>files kept in</th></tr></thead><tbody>");
        for (JsonNode f : crash.path("failures")) {
            JsonNode point = f.path("crashPoint");
            h.append("<tr class=\"crash-state\"><td class=\"num\">").append(f.path("state").asLong())
                    .append("</td><td class=\"sites\">").append(esc(point.path("kind").asText()))
                    .append(point.path("label").asText().isEmpty() ? "" : " '" + esc(point.path("label").asText()) + "'")
                    .append(" at <code class=\"site\">").append(esc(ReportReader.siteText(point.path("site"))))
                    .append("</code> on ").append(esc(point.path("thread").asText())).append("</td>");
            crashPages(h, f.path("notPersisted"));
            crashPages(h, f.path("persisted"));
            h.append("<td class=\"why\">exit ").append(f.path("checker").path("exitStatus").asInt()).append(": <pre>")
                    .append(esc(f.path("checker").path("output").asText().strip())).append("</pre>")
                    .append(f.path("remedy").isTextual() ? "<p class=\"remedy\">" + esc(f.path("remedy").asText())
                            + "</p>" : "").append("</td><td class=\"file\">")
                    .append(esc(f.path("directory").asText())).append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    private static void crashPages(StringBuilder h, JsonNode pages) {
        h.append("<td class=\"sites\">");
        if (pages.size() == 0) {
            h.append("none");
        }
        for (JsonNode p : pages) {
            String file = p.path("file").asText();
            h.append(esc(file.substring(file.lastIndexOf('/') + 1))).append(" page ").append(p.path("page").asLong())
                    .append(" <small>stored at <code class=\"site\">").append(esc(ReportReader.siteText(p.path("storedAt"))))
                    .append("</code></small><br>");
        }
        h.append("</td>");
    }

    private static void hazards(StringBuilder h, AuditReport r) {
        h.append("<h2>Hazards</h2>");
        if (r.hazards().isEmpty()) {
            h.append("<p class=\"none\">None.</p>");
            return;
        }
        h.append("<table id=\"hazards\"><thead><tr><th>hazard</th><th>file</th><th>bytes</th><th>times</th>")
                .append("<th>one side</th><th>other side</th><th>what can go wrong</th></tr></thead><tbody>");
        for (Hazard z : r.hazards()) {
            h.append("<tr class=\"hazard\" data-code=\"").append(esc(z.kind().code())).append("\"><td>")
                    .append(esc(z.kind().code())).append("<br><small>").append(esc(z.kind().name()))
                    .append("</small></td><td class=\"file\">");
            file(h, z.file());
            h.append("</td><td class=\"ranges\">[").append(z.start()).append(", ").append(z.end())
                    .append(")</td><td class=\"num\">").append(z.count()).append("</td>");
            for (Actor a : new Actor[] {z.first(), z.second()}) {
                h.append("<td class=\"sites\">").append(a == null ? "" : esc(TextSummary.actor(a))).append("</td>");
            }
            h.append("<td class=\"why\">").append(esc(z.kind().explanation()))
                    .append(z.discardedPages() > 0 ? " " + z.discardedPages()
                            + " unsynced page(s) were discarded." : "").append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    private static final String[] FILE_COLUMNS = {"file", "model", "size", "unsynced pages", "pages dirtied",
        "pages synced", "write faults (PMD)", "msyncs", "cache flushes", "fsyncs", "bytes flushed", "sync lag p99",
        ""};

    private static void files(StringBuilder h, AuditReport r) {
        h.append("<h2>Files</h2><p class=\"legend\"><span><i class=\"sw U\"></i>unsynced</span><span><i class=\"sw S\">")
                .append("</i>stored, then made durable</span><span><i class=\"sw C\"></i>never stored</span> ")
                .append("&middot; click a column to sort, &ldquo;details&rdquo; for a file's page map and plots</p>")
                .append("<table id=\"files\" class=\"sortable\"><thead><tr>");
        for (int i = 0; i < FILE_COLUMNS.length; i++) {
            h.append("<th").append(i > 1 && i < FILE_COLUMNS.length - 1 ? " class=\"num\"" : "").append(">")
                    .append(FILE_COLUMNS[i]).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        int index = 0;
        for (FileSummary f : r.files()) {
            StorageSummary storage = f.storage();
            h.append("<tr class=\"file\" data-file=\"").append(esc(f.file())).append("\" data-index=\"")
                    .append(index++).append("\"><td class=\"file\" data-sort=\"").append(esc(f.file()))
                    .append("\">");
            file(h, f.file());
            h.append("</td><td data-sort=\"").append(esc(text(storage.model()))).append("\" title=\"")
                    .append(esc(text(storage.reason()))).append("\">")
                    .append(esc(text(storage.model())))
                    .append(storage.audited() ? "" : " (not audited)").append("</td>");
            num(h, f.size());
            num(h, f.unsyncedPages());
            num(h, f.pagesDirtied());
            num(h, f.pagesSynced());
            h.append("<td class=\"num\" data-sort=\"").append(f.faults()).append("\">")
                    .append(f.faults()).append(" (").append(f.pmdFaults()).append(")</td>");
            num(h, f.msyncs());
            num(h, f.cacheFlushes());
            num(h, f.fsyncs());
            num(h, f.bytesFlushed());
            Distribution lag = f.syncLag();
            h.append("<td class=\"num\" data-sort=\"").append(lag.count() == 0 ? -1 : lag.p99Millis()).append("\">")
                    .append(lag.count() == 0 ? "&mdash;" : String.format(Locale.ROOT, "%.3f ms", lag.p99Millis()))
                    .append("</td><td><button type=\"button\" class=\"open\">details</button></td></tr>");
        }
        h.append("</tbody></table>");
    }

    private static void num(StringBuilder h, long value) {
        h.append("<td class=\"num\" data-sort=\"").append(value).append("\">").append(value).append("</td>");
    }

    private static void distributions(StringBuilder h, AuditReport r) {
        h.append("<h2>Distributions</h2><section id=\"distributions\" class=\"plots\">");
        figure(h, "syncLag", "Durability lag: first store into a page to the writeback that made it durable",
                r.syncLag());
        figure(h, "writebackLatency", "Writeback latency: force and fsync durations", r.writebackLatency());
        h.append("</section>");
    }

    /** A distribution's figure: the script draws the curve into it, when there are enough values. */
    private static void figure(StringBuilder h, String id, String title, Distribution d) {
        long count = d.count();
        h.append("<figure id=\"").append(id).append("\" data-points=\"").append(esc(plotted(d).toString()))
                .append("\"><figcaption>").append(esc(title)).append("<br>").append(count).append(" values; ")
                .append(triple(d)).append("</figcaption>");
        if (count < MIN_PLOTTED) {
            h.append("<p class=\"none\">").append(count == 0 ? "&mdash;" : "too few values to plot").append("</p>");
        }
        h.append("</figure>");
    }

    /** The percentile curve as [[percentile, millis], ...], empty when there are too few values to plot. */
    private static ArrayNode plotted(Distribution d) {
        ArrayNode points = JsonNodeFactory.instance.arrayNode();
        if (d.count() >= MIN_PLOTTED) {
            for (Distribution.Point p : d.percentiles()) {
                points.addArray().add(p.percentile()).add(p.millis());
            }
        }
        return points;
    }

    static String triple(Distribution d) {
        if (d.count() == 0) {
            return "p50 / p99 / max &mdash;";
        }
        return String.format(Locale.ROOT, "p50 / p99 / max %.3f / %.3f / %.3f ms", d.p50Millis(), d.p99Millis(),
                d.maxMillis());
    }

    /** What the script needs to draw a file's details on demand: page map, mappings, plots. */
    private static ObjectNode data(AuditReport r) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        ArrayNode files = data.putArray("files");
        for (FileSummary f : r.files()) {
            ObjectNode o = files.addObject();
            PageMap map = f.pageMap();
            o.put("pages", map.pages());
            o.put("perCell", Math.max(1, map.pagesPerCell()));
            o.put("cells", text(map.cells()));
            o.put("reason", text(f.storage().reason()));
            ArrayNode mappings = o.putArray("mappings");
            for (MappingSummary m : f.mappings()) {
                mappings.add("[" + m.start() + ", " + m.end() + ") " + text(m.mode()) + " x" + m.count() + " ("
                        + m.live() + " live) mapped at " + (m.site() != null ? m.site().toString() : "?"));
            }
            o.set("syncLag", plotted(f.syncLag()));
            o.put("syncLagText", triple(f.syncLag()).replace("&mdash;", "\u2014"));
            o.set("writeback", plotted(f.writebackLatency()));
            o.put("writebackText", triple(f.writebackLatency()).replace("&mdash;", "\u2014"));
        }
        return data;
    }

    /** A string as the JSON reader gave it: "null" for none. */
    private static String text(String s) {
        return String.valueOf(s);
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

    private static final String CSS = "body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2330;"
            + "background:#fafbfc}h1{font-size:22px;margin-bottom:4px}.meta{color:#57606a;margin-top:0}"
            + "h2{font-size:18px;margin-top:28px;border-bottom:1px solid #d0d7de}table{border-collapse:collapse;"
            + "margin:8px 0;width:100%}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;"
            + "vertical-align:top}th{background:#eef1f4}td.num,td.ranges{white-space:nowrap}"
            + ".num{text-align:right}td.file{min-width:12em;max-width:24em;overflow-wrap:anywhere}"
            + "td.sites{min-width:14em;overflow-wrap:anywhere}td.why{min-width:20em;overflow-wrap:anywhere}"
            + "small{color:#57606a}tr.declared{color:#57606a}b.declared{color:#2e7d32}"
            + "code{font-size:12px}.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;"
            + "border:1px solid #d0d7de;padding:10px 16px;border-radius:6px}.card b{display:block;font-size:22px}"
            + ".bad b,#verdict.bad{color:#c62828}#verdict{font-size:16px;font-weight:600}#verdict.good{color:#2e7d32}"
            + ".sortable th{cursor:pointer;user-select:none}.sortable th[data-dir=asc]::after{content:' \\25B2'}"
            + ".sortable th[data-dir=desc]::after{content:' \\25BC'}.legend span{display:inline-block;"
            + "margin-right:14px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}"
            + ".U{fill:#d32f2f;background:#d32f2f}.S{fill:#43a047;background:#43a047}.C{fill:#cfd8dc;"
            + "background:#cfd8dc}.plots{display:flex;gap:24px;flex-wrap:wrap}figure{margin:8px 0}"
            + "svg text{font:11px system-ui,sans-serif}.detail td{background:#fff}.none{color:#57606a}";

    /**
     * Sorting, details on demand, and the plots. Sets {@code data-rendered="ok"} on the body when it has run, and
     * collects script errors in {@code data-errors}, for the browser test.
     */
    private static final String SCRIPT = ""
            + "window.addEventListener('error',function(e){document.body.dataset.errors="
            + "(document.body.dataset.errors||'')+e.message;});"
            + "var DATA=JSON.parse(document.getElementById('dax-data').textContent);"
            + "var NS='http://www.w3.org/2000/svg';"
            + "function el(n,a,p){var e=document.createElementNS(NS,n);for(var k in a)e.setAttribute(k,a[k]);"
            + "if(p)p.appendChild(e);return e;}"
            + "var STATES={U:'unsynced',S:'stored, then made durable',C:'never stored'};"
            + "function pageMap(f){var per=64,cell=12,n=f.cells.length,rows=Math.max(1,Math.ceil(n/per));"
            + "var svg=el('svg',{'class':'pagemap',width:per*cell,height:rows*cell,role:'img','aria-label':'page map'});"
            + "for(var i=0;i<n;i++){var c=f.cells.charAt(i);var r=el('rect',{'class':c,x:(i%per)*cell,"
            + "y:Math.floor(i/per)*cell,width:cell-1,height:cell-1},svg);var first=i*f.perCell,"
            + "last=Math.min(f.pages,first+f.perCell);el('title',{},r).textContent='pages '+first+'-'+(last-1)"
            + "+', bytes ['+first*4096+', '+last*4096+'): '+STATES[c];}return svg;}"
            + "function plot(points,title,text){var fig=document.createElement('figure');fig.className='plot';"
            + "var cap=document.createElement('figcaption');cap.textContent=title+': '+text;fig.appendChild(cap);"
            + "if(!points.length){var p=document.createElement('p');p.className='none';"
            + "p.textContent='\\u2014 (fewer than " + MIN_PLOTTED + " values)';fig.appendChild(p);return fig;}"
            + "var w=380,h=150,max=0;points.forEach(function(p){max=Math.max(max,p[1]);});max=Math.max(max,0.001);"
            + "var svg=el('svg',{width:w,height:h},fig);el('rect',{x:40,y:10,width:w-50,height:h-40,fill:'#fff',"
            + "stroke:'#d0d7de'},svg);var lx=Math.log(1/(1-0.9999))/Math.LN10;var pts=points.map(function(p){"
            + "var q=Math.min(p[0],99.99)/100;return (40+(w-50)*(Math.log(1/(1-q))/Math.LN10)/lx).toFixed(1)+','"
            + "+(10+(h-40)*(1-p[1]/max)).toFixed(1);}).join(' ');el('polyline',{'class':'curve',fill:'none',"
            + "stroke:'#1e88e5','stroke-width':2,points:pts},svg);['0%','90%','99%','99.9%','99.99%'].forEach("
            + "function(t,i){el('text',{x:40+(w-50)*i/4-(i==4?34:8),y:h-14},svg).textContent=t;});"
            + "el('text',{x:2,y:20},svg).textContent=max.toFixed(2);el('text',{x:2,y:h-30},svg).textContent='0 ms';"
            + "return fig;}"
            + "document.querySelectorAll('figure[data-points]').forEach(function(f){var pts=JSON.parse(f.dataset.points);"
            + "if(pts.length){var g=plot(pts,'',f.querySelector('figcaption').textContent);"
            + "f.appendChild(g.querySelector('svg'));}});"
            + "function details(row){var next=row.nextElementSibling;if(next&&next.classList.contains('detail')){"
            + "next.remove();return;}var f=DATA.files[+row.dataset.index];var tr=document.createElement('tr');"
            + "tr.className='detail';var td=document.createElement('td');td.colSpan=row.cells.length;tr.appendChild(td);"
            + "var p=document.createElement('p');p.textContent=f.pages+' pages'+(f.perCell>1?', '+f.perCell"
            + "+' pages per cell':'')+' \\u00b7 '+f.reason;td.appendChild(p);td.appendChild(pageMap(f));"
            + "var ul=document.createElement('ul');f.mappings.forEach(function(m){var li=document.createElement('li');"
            + "li.textContent=m;ul.appendChild(li);});td.appendChild(ul);var plots=document.createElement('div');"
            + "plots.className='plots';plots.appendChild(plot(f.syncLag,'Durability lag of this file',f.syncLagText));"
            + "plots.appendChild(plot(f.writeback,'Writeback latency of this file',f.writebackText));"
            + "td.appendChild(plots);row.after(tr);}"
            + "document.querySelectorAll('#files button.open').forEach(function(b){b.addEventListener('click',"
            + "function(){details(b.closest('tr'));});});"
            + "document.querySelectorAll('table.sortable th').forEach(function(th){var col=th.cellIndex;"
            + "if(!th.textContent)return;"
            + "th.addEventListener('click',"
            + "function(){var table=th.closest('table'),body=table.tBodies[0];var dir=th.dataset.dir=='asc'?'desc':'asc';"
            + "table.querySelectorAll('th').forEach(function(o){delete o.dataset.dir;});th.dataset.dir=dir;"
            + "body.querySelectorAll('tr.detail').forEach(function(d){d.remove();});"
            + "var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=a.cells[col].dataset.sort,"
            + "y=b.cells[col].dataset.sort;var nx=parseFloat(x),ny=parseFloat(y);var c=isNaN(nx)||isNaN(ny)?"
            + "String(x).localeCompare(String(y)):nx-ny;return dir=='asc'?c:-c;});"
            + "rows.forEach(function(r){body.appendChild(r);});});});"
            + "document.body.dataset.rendered='ok';";
}
