package dev.daxaudit.core.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link AuditReport} as JSON. The layout is a contract with CI scripts: a top-level {@code findings}
 * array whose entries carry {@code kind}, {@code file}, {@code ranges}, {@code sites} and {@code threads}.
 */
public final class JsonReportWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    public void write(AuditReport report, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("schemaVersion", report.schemaVersion());
            g.writeStringField("tool", "dax-audit");
            g.writeStringField("toolVersion", report.toolVersion());
            g.writeStringField("reason", report.reason());
            g.writeStringField("jvm", report.jvm());
            g.writeStringField("workingDirectory", report.workingDirectory());
            g.writeObjectFieldStart("options");
            for (Map.Entry<String, String> o : report.options().entrySet()) {
                g.writeStringField(o.getKey(), o.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("summary");
            g.writeNumberField("files", report.files().size());
            g.writeNumberField("unauditedFiles", report.unauditedFiles());
            g.writeNumberField("excludedFiles", report.excludedFileCount());
            g.writeNumberField("findings", report.findings().size());
            g.writeNumberField("unsyncedPages", report.unsyncedPages());
            g.writeNumberField("hazards", report.hazards().size());
            g.writeEndObject();
            g.writeObjectFieldStart("distributions");
            writeDistribution(g, "syncLag", report.syncLag());
            writeDistribution(g, "writebackLatency", report.writebackLatency());
            g.writeEndObject();
            g.writeArrayFieldStart("findings");
            for (Finding f : report.findings()) {
                writeFinding(g, f);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("hazards");
            for (Hazard h : report.hazards()) {
                writeHazard(g, h);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("files");
            for (FileSummary f : report.files()) {
                writeFile(g, f);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("agent");
            g.writeNumberField("internalErrors", report.internalErrors());
            writeStrings(g, "internalErrorSamples", report.internalErrorSamples());
            writeStrings(g, "hookedTypes", report.hookedTypes());
            g.writeBooleanField("memorySegments", report.memorySegments());
            g.writeStringField("tracker", report.tracker());
            if (report.trackerChoice() != null) {
                g.writeStringField("trackerChoice", report.trackerChoice());
            }
            if (report.lateAttach() != null) {
                g.writeObjectFieldStart("lateAttach");
                g.writeNumberField("preexistingMappings", report.lateAttach().preexistingMappings());
                g.writeNumberField("preexistingBytes", report.lateAttach().preexistingBytes());
                g.writeStringField("note", "the agent attached to a running JVM: mappings made before then are "
                        + "unknown (the JDK tells only their count and size) and stores into them are not audited");
                g.writeEndObject();
            }
            g.writeObjectFieldStart("detail");
            g.writeNumberField("budgetBytes", report.detail().budgetBytes());
            g.writeNumberField("summarisedFiles", report.detail().summarisedFiles());
            g.writeEndObject();
            writeStrings(g, "excludedFiles", report.excludedFiles());
            writeStrings(g, "cannotSee", report.blindSpots());
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void writeFinding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", f.kind().name());
        g.writeStringField("file", f.file());
        g.writeStringField("message", f.kind().description());
        g.writeNumberField("pages", f.pages());
        g.writeArrayFieldStart("ranges");
        for (PageRange r : f.ranges()) {
            g.writeStartObject();
            g.writeNumberField("start", r.start());
            g.writeNumberField("end", r.end());
            g.writeNumberField("unsyncedMillis", r.unsyncedMillis());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("sites");
        for (SiteCount s : f.sites()) {
            g.writeStartObject();
            writeSiteFields(g, s.site());
            g.writeNumberField("count", s.count());
            g.writeEndObject();
        }
        g.writeEndArray();
        writeStrings(g, "threads", f.threads());
        g.writeBooleanField("storeSitesKnown", f.storeSitePrecision() == SitePrecision.LINE);
        g.writeStringField("storeSitePrecision", f.storeSitePrecision().label());
        if (f.unmapped() != null) {
            g.writeObjectFieldStart("unmapped");
            g.writeNumberField("pages", f.unmapped().pages());
            g.writeFieldName("lastUnmap");
            writeActor(g, f.unmapped().lastUnmap());
            g.writeEndObject();
        } else {
            g.writeNullField("unmapped");
        }
        g.writeFieldName("closed");
        writeActor(g, f.closed());
        if (f.race() != null) {
            g.writeObjectFieldStart("race");
            g.writeFieldName("force");
            writeActor(g, f.race().force());
            g.writeFieldName("store");
            writeActor(g, f.race().store());
            g.writeNumberField("pages", f.race().pages());
            g.writeEndObject();
        } else {
            g.writeNullField("race");
        }
        g.writeObjectFieldStart("newBlocks");
        g.writeNumberField("metadataNotDurable", f.newBlockPages());
        g.writeNumberField("metadataDurableAtFault", f.syncFaultPages());
        g.writeEndObject();
        g.writeStringField("explanation", f.explanation());
        g.writeEndObject();
    }

    private static void writeDistribution(JsonGenerator g, String name, Distribution d) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", d.count());
        g.writeNumberField("p50Millis", d.p50Millis());
        g.writeNumberField("p90Millis", d.p90Millis());
        g.writeNumberField("p99Millis", d.p99Millis());
        g.writeNumberField("maxMillis", d.maxMillis());
        g.writeArrayFieldStart("percentiles");
        for (Distribution.Point p : d.percentiles()) {
            g.writeStartObject();
            g.writeNumberField("percentile", p.percentile());
            g.writeNumberField("millis", p.millis());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeHazard(JsonGenerator g, Hazard h) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", h.kind().name());
        g.writeStringField("code", h.kind().code());
        g.writeStringField("file", h.file());
        g.writeNumberField("start", h.start());
        g.writeNumberField("end", h.end());
        g.writeNumberField("count", h.count());
        g.writeArrayFieldStart("threads");
        writeActor(g, h.first());
        writeActor(g, h.second());
        g.writeEndArray();
        if (h.kind() == HazardKind.TRUNCATE_UNDER_MAPPING) {
            g.writeNumberField("discardedPages", h.discardedPages());
        }
        g.writeStringField("explanation", h.kind().explanation());
        g.writeEndObject();
    }

    private static void writeActor(JsonGenerator g, Actor a) throws IOException {
        if (a == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("operation", a.operation());
        g.writeStringField("thread", a.thread());
        g.writeFieldName("site");
        writeSite(g, a.site());
        g.writeEndObject();
    }

    private static void writeFile(JsonGenerator g, FileSummary f) throws IOException {
        g.writeStartObject();
        g.writeStringField("file", f.file());
        g.writeNumberField("device", f.device());
        g.writeNumberField("inode", f.inode());
        g.writeNumberField("size", f.size());
        StorageSummary st = f.storage();
        g.writeObjectFieldStart("storage");
        g.writeStringField("filesystem", st.filesystem());
        g.writeStringField("mountPoint", st.mountPoint());
        g.writeStringField("model", st.model());
        g.writeBooleanField("audited", st.audited());
        g.writeStringField("reason", st.reason());
        g.writeStringField("entries", st.entries());
        g.writeStringField("zeroing", st.zeroing());
        g.writeEndObject();
        if (f.detailSummarised()) {
            g.writeStringField("detail", "summarised"); // past the memory= budget: see agent.detail
        }
        g.writeArrayFieldStart("mappings");
        for (MappingSummary m : f.mappings()) {
            g.writeStartObject();
            g.writeNumberField("start", m.start());
            g.writeNumberField("end", m.end());
            g.writeStringField("mode", m.mode());
            g.writeNumberField("count", m.count());
            g.writeNumberField("live", m.live());
            g.writeStringField("thread", m.thread());
            g.writeFieldName("site");
            writeSite(g, m.site());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("faults", f.faults());
        g.writeNumberField("pmdFaults", f.pmdFaults());
        g.writeNumberField("syncFaults", f.syncFaults());
        g.writeNumberField("pagesDirtied", f.pagesDirtied());
        g.writeNumberField("msyncs", f.msyncs());
        g.writeNumberField("cacheFlushes", f.cacheFlushes());
        g.writeNumberField("fsyncs", f.fsyncs());
        if (f.bytesStored() >= 0) {
            g.writeNumberField("bytesStored", f.bytesStored());
        } else {
            g.writeNullField("bytesStored"); // not counted: the storedBytes option was off
        }
        g.writeNumberField("bytesFlushed", f.bytesFlushed());
        g.writeNumberField("unsyncedPages", f.unsyncedPages());
        g.writeNumberField("pagesSynced", f.pagesSynced());
        g.writeNumberField("pagesDiscardedByTruncate", f.pagesDiscardedByTruncate());
        writeDistribution(g, "syncLag", f.syncLag());
        writeDistribution(g, "writebackLatency", f.writebackLatency());
        g.writeObjectFieldStart("pageMap");
        g.writeNumberField("pages", f.pageMap().pages());
        g.writeNumberField("pagesPerCell", f.pageMap().pagesPerCell());
        g.writeStringField("cells", f.pageMap().cells());
        g.writeEndObject();
        g.writeNumberField("channelCloses", f.channelCloses());
        g.writeNumberField("closesWithUnsyncedPages", f.closesWithUnsyncedPages());
        g.writeNumberField("concurrentFirstTouches", f.concurrentFirstTouches());
        g.writeEndObject();
    }

    private static void writeSite(JsonGenerator g, Site site) throws IOException {
        if (site == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        writeSiteFields(g, site);
        g.writeEndObject();
    }

    private static void writeSiteFields(JsonGenerator g, Site site) throws IOException {
        g.writeStringField("className", site.className());
        g.writeStringField("method", site.method());
        g.writeStringField("fileName", site.fileName());
        g.writeNumberField("line", site.line());
    }

    private static void writeStrings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
