package dev.daxaudit.tools.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daxaudit.core.report.Actor;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Distribution;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.Hazard;
import dev.daxaudit.core.report.HazardKind;
import dev.daxaudit.core.report.MappingSummary;
import dev.daxaudit.core.report.PageMap;
import dev.daxaudit.core.report.PageRange;
import dev.daxaudit.core.report.Site;
import dev.daxaudit.core.report.SiteCount;
import dev.daxaudit.core.report.SitePrecision;
import dev.daxaudit.core.report.StorageSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a report of the current schema (checked against it, or upgraded to it, by {@link ReportDocument}) back into
 * the records the engine built it from, field for field as {@code JsonReportWriter} wrote them: the renderers get
 * the same typed model at exit and on the command line.
 */
final class ReportReader {
    private ReportReader() {
    }

    static AuditReport read(JsonNode r) {
        JsonNode agent = r.path("agent");
        Map<String, String> options = new LinkedHashMap<>();
        r.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        JsonNode late = agent.path("lateAttach");
        return new AuditReport(r.path("schemaVersion").asInt(), text(r, "toolVersion"), text(r, "reason"),
                text(r, "jvm"), text(r, "workingDirectory"), options, strings(agent.path("excludedFiles")),
                r.path("summary").path("excludedFiles").asLong(), list(r.path("findings"), ReportReader::finding),
                list(r.path("hazards"), ReportReader::hazard), distribution(r.path("distributions").path("syncLag")),
                distribution(r.path("distributions").path("writebackLatency")), list(r.path("files"), ReportReader::file),
                agent.path("internalErrors").asLong(), strings(agent.path("internalErrorSamples")),
                strings(agent.path("hookedTypes")), agent.path("memorySegments").asBoolean(),
                text(agent, "tracker"), text(agent, "trackerChoice"),
                late.isObject() ? new AuditReport.LateAttach(
                        late.path("preexistingMappings").asLong(), late.path("preexistingBytes").asLong()) : null,
                strings(agent.path("cannotSee")), new AuditReport.Detail(
                        agent.path("detail").path("budgetBytes").asLong(),
                        agent.path("detail").path("summarisedFiles").asLong()));
    }

    private static Finding finding(JsonNode f) {
        JsonNode unmapped = f.path("unmapped");
        JsonNode race = f.path("race");
        return new Finding(FindingKind.valueOf(f.path("kind").asText()), text(f, "file"), f.path("pages").asLong(),
                list(f.path("ranges"), n -> new PageRange(n.path("start").asLong(), n.path("end").asLong(),
                        n.path("unsyncedMillis").asDouble())),
                list(f.path("sites"), n -> new SiteCount(site(n), n.path("count").asLong())),
                strings(f.path("threads")),
                unmapped.isObject() ? new Finding.Unmapped(unmapped.path("pages").asLong(),
                        actor(unmapped.path("lastUnmap"))) : null,
                actor(f.path("closed")),
                race.isObject() ? new Finding.Race(actor(race.path("force")), actor(race.path("store")),
                        race.path("pages").asLong()) : null,
                f.path("newBlocks").path("metadataNotDurable").asLong(),
                f.path("newBlocks").path("metadataDurableAtFault").asLong(),
                storeSitePrecision(f), text(f, "explanation"));
    }

    /** Reports before {@code storeSitePrecision} said only whether the store sites were known. */
    private static SitePrecision storeSitePrecision(JsonNode f) {
        SitePrecision precision = SitePrecision.of(f.path("storeSitePrecision").asText());
        return precision != null ? precision
                : f.path("storeSitesKnown").asBoolean(true) ? SitePrecision.LINE : SitePrecision.UNKNOWN;
    }

    private static Hazard hazard(JsonNode h) {
        JsonNode threads = h.path("threads");
        return new Hazard(HazardKind.valueOf(h.path("kind").asText()), text(h, "file"), h.path("start").asLong(),
                h.path("end").asLong(), actor(threads.path(0)), actor(threads.path(1)), h.path("count").asLong(1),
                h.path("discardedPages").asLong());
    }

    private static FileSummary file(JsonNode f) {
        JsonNode st = f.path("storage");
        JsonNode map = f.path("pageMap");
        return new FileSummary(text(f, "file"), f.path("device").asLong(), f.path("inode").asLong(),
                f.path("size").asLong(),
                new StorageSummary(text(st, "filesystem"), text(st, "mountPoint"), text(st, "model"),
                        st.path("audited").asBoolean(true), text(st, "reason"), text(st, "entries"),
                        text(st, "zeroing")),
                list(f.path("mappings"), m -> new MappingSummary(m.path("start").asLong(), m.path("end").asLong(),
                        text(m, "mode"), site(m.path("site")), text(m, "thread"), m.path("count").asLong(),
                        m.path("live").asLong())),
                f.path("faults").asLong(), f.path("pmdFaults").asLong(), f.path("syncFaults").asLong(),
                f.path("pagesDirtied").asLong(), f.path("msyncs").asLong(), f.path("cacheFlushes").asLong(),
                f.path("fsyncs").asLong(), f.path("bytesStored").isNumber() ? f.path("bytesStored").asLong() : -1,
                f.path("bytesFlushed").asLong(), f.path("unsyncedPages").asLong(), f.path("pagesSynced").asLong(),
                f.path("pagesDiscardedByTruncate").asLong(), distribution(f.path("syncLag")),
                distribution(f.path("writebackLatency")),
                new PageMap(map.path("pages").asLong(), map.path("pagesPerCell").asLong(), text(map, "cells")),
                f.path("channelCloses").asLong(), f.path("closesWithUnsyncedPages").asLong(),
                f.path("concurrentFirstTouches").asLong(), "summarised".equals(text(f, "detail")));
    }

    private static Distribution distribution(JsonNode d) {
        return new Distribution(d.path("count").asLong(), d.path("p50Millis").asDouble(),
                d.path("p90Millis").asDouble(), d.path("p99Millis").asDouble(), d.path("maxMillis").asDouble(),
                list(d.path("percentiles"), p -> new Distribution.Point(p.path("percentile").asDouble(),
                        p.path("millis").asDouble())));
    }

    /** An actor, or null where the report has none. */
    static Actor actor(JsonNode a) {
        return a.isObject() ? new Actor(text(a, "operation"), text(a, "thread"), site(a.path("site"))) : null;
    }

    /** A site from an object holding its fields, or null where the report has none. */
    static Site site(JsonNode s) {
        return s.isObject() && s.has("className") ? new Site(s.path("className").asText(),
                s.path("method").asText(), text(s, "fileName"), s.path("line").asInt(-1)) : null;
    }

    /** {@code class.method(File.java:line)}, as a stack trace shows it, or {@code (unknown)}. */
    static String siteText(JsonNode s) {
        Site site = site(s);
        return site == null ? "(unknown)" : site.toString();
    }

    /** A string field, or null where it is null or missing. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>(array.size());
        for (JsonNode v : array) {
            out.add(v.asText());
        }
        return out;
    }

    private interface Reader<T> {
        T read(JsonNode node);
    }

    private static <T> List<T> list(JsonNode array, Reader<T> reader) {
        List<T> out = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            out.add(reader.read(n));
        }
        return out;
    }
}
