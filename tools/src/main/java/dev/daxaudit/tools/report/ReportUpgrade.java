package dev.daxaudit.tools.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a schema version 1 report as version 2, with version 2's meaning, so that {@code report} and {@code diff}
 * work across the change (a baseline written before it still gates CI after it):
 * <ul>
 * <li>{@code UNSYNCED_AT_EXIT} and {@code LOST_AT_UNMAP} were one kernel state: they become one {@code UNSYNCED}
 * finding per file, the unmap kept as its {@code unmapped} context;</li>
 * <li>{@code LOST_AT_TRUNCATE} was data the truncate itself discarded: no finding in version 2;</li>
 * <li>hazards H3, H5 and H6 were context of a finding and are dropped; H1, H2 and H4 stay, counted once;</li>
 * <li>every file is said to have had the DAX model, which version 1 applied to all files.</li>
 * </ul>
 */
final class ReportUpgrade {
    /** The hazard kinds version 2 keeps, with their codes (a version 1 document may pair any kind with any code). */
    private static final Map<String, String> KEPT_HAZARDS = Map.of("TRUNCATE_UNDER_MAPPING", "H1",
            "STORE_BEYOND_EOF", "H2", "CONCURRENT_FIRST_TOUCH", "H4");

    private ReportUpgrade() {
    }

    static ObjectNode fromVersion1(JsonNode v1) {
        ObjectNode r = v1.deepCopy();
        r.put("schemaVersion", 2);
        r.put("upgradedFrom", 1);
        Map<String, ObjectNode> byFile = new LinkedHashMap<>();
        for (JsonNode f : v1.path("findings")) {
            String kind = f.path("kind").asText();
            if (kind.equals("LOST_AT_TRUNCATE")) {
                continue;
            }
            ObjectNode merged = byFile.computeIfAbsent(f.path("file").asText(), file -> newFinding(file));
            merge(merged, f);
            if (kind.equals("LOST_AT_UNMAP")) {
                ObjectNode unmapped = merged.putObject("unmapped");
                unmapped.put("pages", merged.path("unmappedPages").asLong() + f.path("pages").asLong());
                ObjectNode last = unmapped.putObject("lastUnmap");
                last.put("operation", "unmap");
                last.set("thread", f.path("cause").path("thread"));
                last.set("site", f.path("cause").path("site"));
                merged.put("unmappedPages", unmapped.path("pages").asLong());
            }
        }
        ArrayNode findings = r.putArray("findings");
        long unsyncedPages = 0;
        for (ObjectNode f : byFile.values()) {
            f.remove("unmappedPages");
            finishRanges(f);
            unsyncedPages += f.path("pages").asLong();
            findings.add(f);
        }
        ArrayNode hazards = r.putArray("hazards");
        for (JsonNode h : v1.path("hazards")) {
            String code = KEPT_HAZARDS.get(h.path("kind").asText());
            if (code != null) {
                ObjectNode copy = h.deepCopy();
                copy.remove("finding");
                copy.put("code", code);
                copy.put("count", 1);
                hazards.add(copy);
            }
        }
        ObjectNode summary = r.with("summary");
        summary.put("findings", findings.size());
        summary.put("unsyncedPages", unsyncedPages);
        summary.put("hazards", hazards.size());
        summary.put("unauditedFiles", 0);
        summary.put("excludedFiles", 0);
        for (JsonNode file : r.path("files")) {
            ObjectNode storage = ((ObjectNode) file).putObject("storage");
            storage.putNull("filesystem");
            storage.putNull("mountPoint");
            storage.put("model", "dax");
            storage.put("audited", true);
            storage.put("reason", "schema version 1 report: the DAX model was applied to every file");
            storage.put("entries", "auto".equals(v1.path("entries").asText()) ? "pmd" : "pte");
            storage.set("zeroing", v1.path("zeroing"));
        }
        r.remove("entries");
        r.remove("zeroing");
        return r;
    }

    private static ObjectNode newFinding(String file) {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("kind", "UNSYNCED");
        f.put("file", file);
        f.put("message", "stores never made durable by a force or fsync");
        f.put("pages", 0);
        f.putArray("ranges");
        f.putArray("sites");
        f.putArray("threads");
        f.putNull("unmapped");
        f.putNull("closed");
        f.putNull("race");
        f.putObject("newBlocks").put("metadataNotDurable", 0).put("metadataDurableAtFault", 0);
        f.put("explanation", "Stores never made durable by a force or fsync (read from a schema version 1 report).");
        return f;
    }

    private static void merge(ObjectNode into, JsonNode f) {
        into.put("pages", into.path("pages").asLong() + f.path("pages").asLong());
        ((ArrayNode) into.path("ranges")).addAll((ArrayNode) f.path("ranges").deepCopy());
        ArrayNode sites = (ArrayNode) into.path("sites");
        outer:
        for (JsonNode s : f.path("sites")) {
            for (JsonNode existing : sites) {
                if (sameSite(existing, s)) {
                    ((ObjectNode) existing).put("count", existing.path("count").asLong() + s.path("count").asLong());
                    continue outer;
                }
            }
            sites.add(s.deepCopy());
        }
        ArrayNode threads = (ArrayNode) into.path("threads");
        for (JsonNode t : f.path("threads")) {
            boolean seen = false;
            for (JsonNode existing : threads) {
                seen |= existing.asText().equals(t.asText());
            }
            if (!seen) {
                threads.add(t.asText());
            }
        }
        ObjectNode newBlocks = (ObjectNode) into.path("newBlocks");
        newBlocks.put("metadataNotDurable", newBlocks.path("metadataNotDurable").asLong()
                + f.path("newBlocks").path("metadataNotDurable").asLong());
        newBlocks.put("metadataDurableAtFault", newBlocks.path("metadataDurableAtFault").asLong()
                + f.path("newBlocks").path("metadataDurableAtFault").asLong());
    }

    /** Ranges of merged findings in file order. */
    private static void finishRanges(ObjectNode f) {
        TreeMap<Long, JsonNode> sorted = new TreeMap<>();
        for (JsonNode r : f.path("ranges")) {
            sorted.put(r.path("start").asLong(), r);
        }
        ArrayNode ranges = f.putArray("ranges");
        sorted.values().forEach(ranges::add);
    }

    private static boolean sameSite(JsonNode a, JsonNode b) {
        return a.path("className").asText().equals(b.path("className").asText())
                && a.path("method").asText().equals(b.path("method").asText())
                && a.path("line").asInt() == b.path("line").asInt();
    }
}
