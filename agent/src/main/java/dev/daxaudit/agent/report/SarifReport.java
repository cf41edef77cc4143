package dev.daxaudit.agent.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.HazardKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A report as SARIF 2.1.0, for code scanning in CI. Every finding kind and every hazard is a rule with a stable
 * id; each finding or hazard is a result whose location is the code site (source file and line) that first stored
 * the data, or for a hazard its second side, with the other sites and the finding's context (the last unmap, a
 * close, a racing force) as related locations. Source paths are relative to
 * the source root ({@code SRCROOT}), derived from the class's package and its source file name.
 */
public final class SarifReport {
    private static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private SarifReport() {
    }

    /** The stable rule id of a finding kind. */
    static String ruleId(FindingKind kind) {
        return "DAX/" + kind.name();
    }

    /** The stable rule id of a hazard kind, with its H-number. */
    static String ruleId(HazardKind kind) {
        return "DAX/" + kind.code() + "/" + kind.name();
    }

    public static String render(ReportDocument report) {
        JsonNode r = report.root();
        ObjectNode sarif = ReportDocument.JSON.createObjectNode();
        sarif.put("$schema", SCHEMA);
        sarif.put("version", "2.1.0");
        ObjectNode run = sarif.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "dax-audit");
        driver.put("version", r.path("toolVersion").asText());
        driver.put("informationUri", "https://dax-audit.dev/");
        ArrayNode rules = driver.putArray("rules");
        List<String> ruleIds = new ArrayList<>();
        for (FindingKind k : FindingKind.values()) {
            rule(rules, ruleIds, ruleId(k), k.name(), k.description(), k.description(), "error");
        }
        for (HazardKind k : HazardKind.values()) {
            rule(rules, ruleIds, ruleId(k), k.name(), k.code() + ": " + k.name().toLowerCase().replace('_', ' '),
                    k.explanation(), "error");
        }
        run.putObject("originalUriBaseIds").putObject("SRCROOT").put("description",
                ReportDocument.JSON.createObjectNode().put("text", "The source root the application was built from"));
        ArrayNode results = run.putArray("results");
        for (JsonNode f : r.path("findings")) {
            FindingKind kind = FindingKind.valueOf(f.path("kind").asText());
            ObjectNode result = result(results, ruleIds, ruleId(kind), "error",
                    f.path("pages").asLong() + " page(s) of " + f.path("file").asText() + " "
                            + ranges(f.path("ranges")) + ": " + f.path("explanation").asText(kind.description()));
            JsonNode sites = f.path("sites");
            location(result.putArray("locations"), sites.get(0), null);
            ArrayNode related = result.putArray("relatedLocations");
            for (int i = 1; i < sites.size(); i++) {
                location(related, sites.get(i), "also first stored here (" + sites.get(i).path("count") + " page(s))");
            }
            relatedActor(related, f.path("unmapped").path("lastUnmap"), "last unmap: ");
            relatedActor(related, f.path("closed"), "closed while unsynced: ");
            relatedActor(related, f.path("race").path("force"), "force in flight during a store: ");
            relatedActor(related, f.path("race").path("store"), "store during that force: ");
        }
        for (JsonNode h : r.path("hazards")) {
            HazardKind kind = HazardKind.valueOf(h.path("kind").asText());
            JsonNode first = h.path("threads").get(0);
            JsonNode second = h.path("threads").get(1);
            long count = h.path("count").asLong(1);
            ObjectNode result = result(results, ruleIds, ruleId(kind), "error",
                    kind.code() + " on " + h.path("file").asText() + " bytes [" + h.path("start").asLong() + ", "
                            + h.path("end").asLong() + ")" + (count > 1 ? ", " + count + " times" : "") + ": "
                            + describe(second) + " vs " + describe(first) + ". " + kind.explanation());
            location(result.putArray("locations"), second.path("site"), describe(second));
            location(result.putArray("relatedLocations"), first == null ? null : first.path("site"), describe(first));
        }
        return sarif.toPrettyString();
    }

    private static void rule(ArrayNode rules, List<String> ids, String id, String name, String shortText,
                             String fullText, String level) {
        ObjectNode rule = rules.addObject();
        rule.put("id", id);
        rule.put("name", name);
        rule.putObject("shortDescription").put("text", shortText);
        rule.putObject("fullDescription").put("text", fullText);
        rule.putObject("defaultConfiguration").put("level", level);
        ids.add(id);
    }

    private static ObjectNode result(ArrayNode results, List<String> ruleIds, String ruleId, String level,
                                     String message) {
        ObjectNode result = results.addObject();
        result.put("ruleId", ruleId);
        result.put("ruleIndex", ruleIds.indexOf(ruleId));
        result.put("level", level);
        result.putObject("message").put("text", message);
        return result;
    }

    /** A location for a code site: a source file and line when known, else only the logical location. */
    private static void location(ArrayNode into, JsonNode site, String message) {
        if (site == null || site.isNull() || site.isMissingNode()) {
            return;
        }
        ObjectNode location = into.addObject();
        String className = site.path("className").asText();
        if (!site.path("fileName").isNull() && !site.path("fileName").isMissingNode()) {
            ObjectNode physical = location.putObject("physicalLocation");
            int dot = className.lastIndexOf('.');
            String dir = dot < 0 ? "" : className.substring(0, dot).replace('.', '/') + "/";
            ObjectNode artifact = physical.putObject("artifactLocation");
            artifact.put("uri", dir + site.path("fileName").asText());
            artifact.put("uriBaseId", "SRCROOT");
            if (site.path("line").asInt() > 0) {
                physical.putObject("region").put("startLine", site.path("line").asInt());
            }
        }
        location.putArray("logicalLocations").addObject()
                .put("fullyQualifiedName", className + "." + site.path("method").asText())
                .put("kind", "function");
        if (message != null) {
            location.putObject("message").put("text", message);
        }
    }

    private static void relatedActor(ArrayNode related, JsonNode actor, String what) {
        if (actor.isObject()) {
            location(related, actor.path("site"), what + describe(actor));
        }
    }

    private static String describe(JsonNode actor) {
        if (actor == null || actor.isNull()) {
            return "(unknown)";
        }
        return actor.path("operation").asText() + " on thread " + actor.path("thread").asText("?") + " at "
                + (actor.path("site").isNull() ? "(unknown)" : TextSummary.site(actor.path("site")));
    }

    private static String ranges(JsonNode ranges) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode r : ranges) {
            sb.append(sb.length() == 0 ? "" : " ").append('[').append(r.path("start").asLong()).append(", ")
                    .append(r.path("end").asLong()).append(')');
        }
        return sb.toString();
    }
}
