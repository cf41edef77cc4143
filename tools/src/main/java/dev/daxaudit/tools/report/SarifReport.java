package dev.daxaudit.tools.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.HazardKind;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The stable rule id of a finding kind. */
    static String ruleId(FindingKind kind) {
        return "DAX/" + kind.name();
    }

    /** The stable rule id of a hazard kind, with its H-number. */
    static String ruleId(HazardKind kind) {
        return "DAX/" + kind.code() + "/" + kind.name();
    }

    /** Source roots the locations resolve against, in order; empty: SRCROOT stays for the consumer to set. */
    private final List<Path> sourceRoots;

    private SarifReport(List<Path> sourceRoots) {
        this.sourceRoots = sourceRoots;
    }

    /** The stable rule id of a crash state the recovery check rejected (crash-test). */
    static final String CRASH_RULE = "DAX/CRASH_STATE_INCONSISTENT";

    public static String render(ReportDocument report) {
        return render(report, List.of());
    }

    /** With one more result per crash state that crash-test's recovery check rejected ({@code crash}: its report). */
    public static String render(ReportDocument report, List<Path> sourceRoots, JsonNode crash) {
        List<Path> roots = new ArrayList<>();
        for (Path root : sourceRoots) {
            roots.add(root.toAbsolutePath().normalize());
        }
        SarifReport sarif = new SarifReport(roots);
        sarif.crash = crash;
        return sarif.build(report);
    }

    /** crash-test's report, or null. */
    private JsonNode crash;

    /**
     * SARIF whose locations resolve against {@code sourceRoots} (such as {@code src/main/java}): each source file is
     * given the base of the first root that holds it, {@code SRCROOT} for the first root, {@code SRCROOT2} and on for
     * the others.
     */
    public static String render(ReportDocument report, List<Path> sourceRoots) {
        List<Path> roots = new ArrayList<>();
        for (Path root : sourceRoots) {
            roots.add(root.toAbsolutePath().normalize());
        }
        return new SarifReport(roots).build(report);
    }

    private String build(ReportDocument report) {
        JsonNode r = report.root();
        ObjectNode sarif = JsonNodeFactory.instance.objectNode();
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
        ObjectNode bases = run.putObject("originalUriBaseIds");
        if (sourceRoots.isEmpty()) {
            bases.putObject("SRCROOT").putObject("description").put("text",
                    "The source root the application was built from");
        }
        for (int i = 0; i < sourceRoots.size(); i++) {
            ObjectNode base = bases.putObject(baseId(i));
            base.put("uri", sourceRoots.get(i).toUri().toString());
            base.putObject("description").put("text", "Source root " + sourceRoots.get(i));
        }
        Fingerprint.Paths paths = Fingerprint.Paths.relativeTo(null);
        ArrayNode results = run.putArray("results");
        for (JsonNode f : r.path("findings")) {
            FindingKind kind = FindingKind.valueOf(f.path("kind").asText());
            ObjectNode result = result(results, ruleIds, ruleId(kind), "error",
                    f.path("pages").asLong() + " page(s) of " + f.path("file").asText() + " "
                            + ranges(f.path("ranges")) + ": " + f.path("explanation").asText(kind.description()));
            result.putObject("partialFingerprints").put("daxAudit/v1", Fingerprint.ofFinding(f, r, paths).hash());
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
            result.putObject("partialFingerprints").put("daxAudit/v1", Fingerprint.ofHazard(h, r, paths).hash());
            location(result.putArray("locations"), second.path("site"), describe(second));
            location(result.putArray("relatedLocations"), first == null ? null : first.path("site"), describe(first));
        }
        if (crash != null) {
            rule(rules, ruleIds, CRASH_RULE, "CRASH_STATE_INCONSISTENT", "a crash here leaves files that recovery rejects",
                    "crash-test wrote the files as a crash at this point could leave them (the durable image and a "
                            + "subset of the pages not yet durable) and the recovery check rejected them: a write "
                            + "was made durable before another it depends on.", "error");
            for (JsonNode f : crash.path("failures")) {
                JsonNode point = f.path("crashPoint");
                StringBuilder lost = new StringBuilder();
                for (JsonNode p : f.path("notPersisted")) {
                    lost.append(lost.length() == 0 ? "" : ", ").append(p.path("file").asText()).append(" page ")
                            .append(p.path("page").asLong());
                }
                ObjectNode result = result(results, ruleIds, CRASH_RULE, "error", "crash state " + f.path("state")
                        + " (" + point.path("kind").asText() + " at " + ReportReader.siteText(point.path("site"))
                        + "; not persisted: " + (lost.length() == 0 ? "none" : lost) + "): recovery exited "
                        + f.path("checker").path("exitStatus").asInt() + ": "
                        + f.path("checker").path("output").asText().strip());
                location(result.putArray("locations"), point.path("site"), point.path("kind").asText() + " here");
                ArrayNode related = result.putArray("relatedLocations");
                for (JsonNode p : f.path("notPersisted")) {
                    location(related, p.path("storedAt"), "stored " + p.path("file").asText() + " page "
                            + p.path("page").asLong() + ", not persisted in this state");
                }
            }
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
    private void location(ArrayNode into, JsonNode site, String message) {
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
            String uri = dir + site.path("fileName").asText();
            artifact.put("uri", uri);
            artifact.put("uriBaseId", baseId(rootHolding(uri)));
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

    /** The index of the first source root that holds {@code uri}, or 0. */
    private int rootHolding(String uri) {
        for (int i = 0; i < sourceRoots.size(); i++) {
            if (Files.exists(sourceRoots.get(i).resolve(uri))) {
                return i;
            }
        }
        return 0;
    }

    private static String baseId(int root) {
        return root == 0 ? "SRCROOT" : "SRCROOT" + (root + 1);
    }

    private void relatedActor(ArrayNode related, JsonNode actor, String what) {
        if (actor.isObject()) {
            location(related, actor.path("site"), what + describe(actor));
        }
    }

    private static String describe(JsonNode actor) {
        if (actor == null || actor.isNull()) {
            return "(unknown)";
        }
        return actor.path("operation").asText() + " on thread " + actor.path("thread").asText("?") + " at "
                + (actor.path("site").isNull() ? "(unknown)" : ReportReader.siteText(actor.path("site")));
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
