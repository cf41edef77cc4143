package dev.daxaudit.tools.report;

import dev.daxaudit.core.report.Actor;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.Hazard;
import dev.daxaudit.core.report.PageRange;
import dev.daxaudit.core.report.Site;
import dev.daxaudit.core.report.SiteCount;

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

    public static String render(AuditReport report) {
        return render(report, List.of());
    }

    /** With one more result per crash state that crash-test's recovery check rejected ({@code crash}: its report). */
    public static String render(AuditReport report, List<Path> sourceRoots, JsonNode crash) {
        return render(report, sourceRoots, crash, ExpectedFindings.NONE);
    }

    /**
     * As {@link #render(AuditReport, List, JsonNode)} ({@code crash} may be null), each finding a test declared
     * ({@code expected}) carrying an accepted external suppression that names the test: code scanning shows it as
     * suppressed, never as an open alert.
     */
    public static String render(AuditReport report, List<Path> sourceRoots, JsonNode crash,
                                ExpectedFindings expected) {
        List<Path> roots = new ArrayList<>();
        for (Path root : sourceRoots) {
            roots.add(root.toAbsolutePath().normalize());
        }
        SarifReport sarif = new SarifReport(roots);
        sarif.crash = crash;
        sarif.expected = expected;
        return sarif.build(report);
    }

    /** crash-test's report, or null. */
    private JsonNode crash;
    private ExpectedFindings expected = ExpectedFindings.NONE;

    /**
     * SARIF whose locations resolve against {@code sourceRoots} (such as {@code src/main/java}): each source file is
     * given the base of the first root that holds it, {@code SRCROOT} for the first root, {@code SRCROOT2} and on for
     * the others.
     */
    public static String render(AuditReport report, List<Path> sourceRoots) {
        return render(report, sourceRoots, null, ExpectedFindings.NONE);
    }

    private String build(AuditReport r) {
        ObjectNode sarif = JsonNodeFactory.instance.objectNode();
        sarif.put("$schema", SCHEMA);
        sarif.put("version", "2.1.0");
        ObjectNode run = sarif.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "dax-audit");
        driver.put("version", String.valueOf(r.toolVersion()));
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
        for (Finding f : r.findings()) {
            FindingKind kind = f.kind();
            ObjectNode result = result(results, ruleIds, ruleId(kind), "error",
                    f.pages() + " page(s) of " + f.file() + " " + ranges(f.ranges()) + ": "
                            + (f.explanation() == null ? kind.description() : f.explanation()));
            result.putObject("partialFingerprints").put("daxAudit/v1", Fingerprint.ofFinding(f, r, paths).hash());
            String declaredBy = expected.declaredBy(f);
            if (declaredBy != null) {
                result.putArray("suppressions").addObject().put("kind", "external").put("status", "accepted")
                        .put("justification", "declared by @ExpectUnsynced in " + declaredBy);
            }
            List<SiteCount> sites = f.sites();
            location(result.putArray("locations"), sites.isEmpty() ? null : sites.get(0).site(), null);
            ArrayNode related = result.putArray("relatedLocations");
            for (int i = 1; i < sites.size(); i++) {
                location(related, sites.get(i).site(), "also first stored here (" + sites.get(i).count() + " page(s))");
            }
            relatedActor(related, f.unmapped() == null ? null : f.unmapped().lastUnmap(), "last unmap: ");
            relatedActor(related, f.closed(), "closed while unsynced: ");
            relatedActor(related, f.race() == null ? null : f.race().force(), "force in flight during a store: ");
            relatedActor(related, f.race() == null ? null : f.race().store(), "store during that force: ");
        }
        for (Hazard h : r.hazards()) {
            HazardKind kind = h.kind();
            Actor first = h.first();
            Actor second = h.second();
            long count = h.count();
            ObjectNode result = result(results, ruleIds, ruleId(kind), "error",
                    kind.code() + " on " + h.file() + " bytes [" + h.start() + ", " + h.end() + ")"
                            + (count > 1 ? ", " + count + " times" : "") + ": "
                            + describe(second) + " vs " + describe(first) + ". " + kind.explanation());
            result.putObject("partialFingerprints").put("daxAudit/v1", Fingerprint.ofHazard(h, r, paths).hash());
            location(result.putArray("locations"), second == null ? null : second.site(), describe(second));
            location(result.putArray("relatedLocations"), first == null ? null : first.site(), describe(first));
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
                location(result.putArray("locations"), ReportReader.site(point.path("site")),
                        point.path("kind").asText() + " here");
                ArrayNode related = result.putArray("relatedLocations");
                for (JsonNode p : f.path("notPersisted")) {
                    location(related, ReportReader.site(p.path("storedAt")), "stored " + p.path("file").asText()
                            + " page " + p.path("page").asLong() + ", not persisted in this state");
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
    private void location(ArrayNode into, Site site, String message) {
        if (site == null) {
            return;
        }
        ObjectNode location = into.addObject();
        String className = site.className();
        if (site.fileName() != null) {
            ObjectNode physical = location.putObject("physicalLocation");
            int dot = className.lastIndexOf('.');
            String dir = dot < 0 ? "" : className.substring(0, dot).replace('.', '/') + "/";
            ObjectNode artifact = physical.putObject("artifactLocation");
            String uri = dir + site.fileName();
            artifact.put("uri", uri);
            artifact.put("uriBaseId", baseId(rootHolding(uri)));
            if (site.line() > 0) {
                physical.putObject("region").put("startLine", site.line());
            }
        }
        location.putArray("logicalLocations").addObject()
                .put("fullyQualifiedName", className + "." + site.method())
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

    private void relatedActor(ArrayNode related, Actor actor, String what) {
        if (actor != null) {
            location(related, actor.site(), what + describe(actor));
        }
    }

    private static String describe(Actor actor) {
        if (actor == null) {
            return "(unknown)";
        }
        return actor.operation() + " on thread " + (actor.thread() == null ? "?" : actor.thread()) + " at "
                + (actor.site() == null ? "(unknown)" : actor.site().toString());
    }

    private static String ranges(List<PageRange> ranges) {
        StringBuilder sb = new StringBuilder();
        for (PageRange r : ranges) {
            sb.append(sb.length() == 0 ? "" : " ").append('[').append(r.start()).append(", ").append(r.end())
                    .append(')');
        }
        return sb.toString();
    }
}
