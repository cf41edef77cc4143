package dev.daxaudit.tools.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The crash reports of the N shards of one run ({@code --shard K/N}) joined into the report the unsharded run would
 * have written: the same crash points and state numbers, every shard's failures in state order, the checked and
 * failed counts summed. Refused, with what is wrong, when a shard is missing or repeated, or when the reports are not
 * of one run (their crash points, distinct states or persistence model differ): a merge must never pass on a
 * share of the states.
 */
public final class CrashReportMerge {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CrashReportMerge() {
    }

    /** The merged report; {@link IllegalArgumentException} says why the shards cannot be merged. */
    public static ObjectNode merge(List<Path> reports) throws IOException {
        TreeMap<Integer, JsonNode> byShard = new TreeMap<>();
        int of = -1;
        for (Path file : reports) {
            JsonNode report = JSON.readTree(file.toFile());
            JsonNode shard = report.path("shard");
            if (!shard.isObject()) {
                throw new IllegalArgumentException(file + " is not a shard's report (crash-test --shard K/N)");
            }
            int n = shard.path("of").asInt();
            if (of != -1 && n != of) {
                throw new IllegalArgumentException(file + " is a shard of " + n + ", the others of " + of);
            }
            of = n;
            if (byShard.put(shard.path("index").asInt(), report) != null) {
                throw new IllegalArgumentException("shard " + shard.path("index").asInt() + " of " + of
                        + " is given twice");
            }
        }
        if (byShard.isEmpty()) {
            throw new IllegalArgumentException("no report to merge");
        }
        List<Integer> missing = new ArrayList<>();
        for (int k = 1; k <= of; k++) {
            if (!byShard.containsKey(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("shard" + (missing.size() == 1 ? " " : "s ") + missing + " of " + of
                    + " missing: the merged report would not cover every state");
        }
        ObjectNode merged = byShard.firstEntry().getValue().deepCopy();
        merged.remove("shard");
        ObjectNode states = (ObjectNode) merged.get("states");
        long checked = 0;
        long failed = 0;
        boolean capped = false;
        double seconds = 0;
        List<JsonNode> failures = new ArrayList<>();
        // The shards' causes, one per kind and description, their states together, in the order of the first.
        java.util.Map<String, ObjectNode> causes = new java.util.HashMap<>();
        for (JsonNode report : byShard.values()) {
            for (String field : List.of("applicationExitStatus", "persistence", "crashPoints")) {
                if (!report.path(field).equals(merged.path(field))) {
                    throw new IllegalArgumentException("the shards are not of one run: their " + field + " differ");
                }
            }
            for (String count : List.of("yielded", "distinct")) {
                if (report.path("states").path(count).asLong() != states.path(count).asLong()) {
                    throw new IllegalArgumentException("the shards are not of one run: their " + count
                            + " states differ");
                }
            }
            checked += report.path("states").path("checked").asLong();
            failed += report.path("states").path("failed").asLong();
            capped |= report.path("states").path("capped").asBoolean();
            seconds += report.path("seconds").asDouble();
            report.path("failures").forEach(failures::add);
            for (JsonNode cause : report.path("causes")) {
                String key = cause.path("kind").asText() + " " + cause.path("description").asText();
                ObjectNode into = causes.get(key);
                if (into == null) {
                    causes.put(key, cause.deepCopy());
                    continue;
                }
                List<Integer> joined = new ArrayList<>();
                into.path("states").forEach(n -> joined.add(n.asInt()));
                if (cause.path("states").path(0).asInt() < joined.get(0)) {
                    into.set("remedy", cause.path("remedy")); // the remedy of the first state of the cause
                }
                cause.path("states").forEach(n -> joined.add(n.asInt()));
                joined.sort(null);
                ArrayNode numbers = into.putArray("states");
                joined.forEach(numbers::add);
            }
        }
        states.put("checked", checked);
        states.put("failed", failed);
        states.put("capped", capped);
        merged.put("seconds", seconds); // the checking time of every shard, not the wall time of the matrix
        failures.sort(Comparator.comparingInt(f -> f.path("state").asInt()));
        ArrayNode list = merged.putArray("failures");
        failures.forEach(list::add);
        List<ObjectNode> ordered = new ArrayList<>(causes.values());
        ordered.sort(Comparator.comparingInt(c -> c.path("states").path(0).asInt()));
        ArrayNode causeList = merged.putArray("causes");
        ordered.forEach(causeList::add);
        return merged;
    }
}
