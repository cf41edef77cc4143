package dev.daxaudit.tools.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Several reports as one: a build runs its tests in several JVMs (Surefire forks, Failsafe), each writing its own
 * report, and CI wants one verdict. Findings, hazards, files, excluded files and internal errors are concatenated
 * and counted again; distributions cannot be merged exactly from percentiles, so the merged one keeps the total
 * count and, for each percentile, the highest of the inputs (an upper bound), without a curve.
 */
public final class ReportMerge {
    private ReportMerge() {
    }

    public static ReportDocument of(List<ReportDocument> reports) {
        if (reports.size() == 1) {
            return reports.get(0);
        }
        ObjectNode merged = reports.get(0).root().deepCopy();
        merged.put("reason", "merged from " + reports.size() + " reports");
        ArrayNode findings = merged.putArray("findings");
        ArrayNode hazards = merged.putArray("hazards");
        ArrayNode files = merged.putArray("files");
        ObjectNode agent = (ObjectNode) merged.path("agent");
        ArrayNode errorSamples = agent.putArray("internalErrorSamples");
        ArrayNode excluded = agent.putArray("excludedFiles");
        long internalErrors = 0;
        long unsyncedPages = 0;
        long unaudited = 0;
        long excludedCount = 0;
        for (ReportDocument report : reports) {
            JsonNode r = report.root();
            r.path("findings").forEach(f -> findings.add(f.deepCopy()));
            r.path("hazards").forEach(h -> hazards.add(h.deepCopy()));
            r.path("files").forEach(f -> files.add(f.deepCopy()));
            r.path("agent").path("internalErrorSamples").forEach(s -> {
                if (errorSamples.size() < 5) {
                    errorSamples.add(s.asText());
                }
            });
            r.path("agent").path("excludedFiles").forEach(s -> {
                if (excluded.size() < 20) {
                    excluded.add(s.asText());
                }
            });
            internalErrors += r.path("agent").path("internalErrors").asLong();
            unsyncedPages += r.path("summary").path("unsyncedPages").asLong();
            unaudited += r.path("summary").path("unauditedFiles").asLong();
            excludedCount += r.path("summary").path("excludedFiles").asLong();
        }
        agent.put("internalErrors", internalErrors);
        ObjectNode summary = (ObjectNode) merged.path("summary");
        summary.put("files", files.size());
        summary.put("findings", findings.size());
        summary.put("unsyncedPages", unsyncedPages);
        summary.put("hazards", hazards.size());
        summary.put("unauditedFiles", unaudited);
        summary.put("excludedFiles", excludedCount);
        ObjectNode distributions = (ObjectNode) merged.path("distributions");
        for (String name : List.of("syncLag", "writebackLatency")) {
            ObjectNode d = distributions.putObject(name);
            long count = 0;
            double[] bounds = new double[4];
            String[] fields = {"p50Millis", "p90Millis", "p99Millis", "maxMillis"};
            for (ReportDocument report : reports) {
                JsonNode in = report.root().path("distributions").path(name);
                count += in.path("count").asLong();
                for (int i = 0; i < fields.length; i++) {
                    bounds[i] = Math.max(bounds[i], in.path(fields[i]).asDouble());
                }
            }
            d.put("count", count);
            for (int i = 0; i < fields.length; i++) {
                d.put(fields[i], bounds[i]);
            }
            d.putArray("percentiles");
        }
        return ReportDocument.ofMerged(merged);
    }
}
