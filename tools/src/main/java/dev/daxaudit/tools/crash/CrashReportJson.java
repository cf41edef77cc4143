package dev.daxaudit.tools.crash;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daxaudit.core.report.Site;
import dev.daxaudit.tools.crash.CrashJournalReader;
import dev.daxaudit.tools.crash.CrashJournalReader.AuditedFile;
import dev.daxaudit.tools.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashStates;
import dev.daxaudit.tools.crash.CrashStates.Enumerated;
import java.util.List;

/**
 * crash-report.json, as its published schema ({@code dax-audit-crash-report-1.schema.json}) describes it: the crash
 * points, the state counts, and each failing state with its pages and the check's answer.
 */
final class CrashReportJson {
    private CrashReportJson() {
    }

    static String render(Journal journal, Enumerated states, List<CrashTest.Failure> failures, int appExit, double seconds,
                         Shard shard) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        root.put("schemaVersion", 1);
        root.put("applicationExitStatus", appExit);
        root.put("journalComplete", journal.complete());
        if (!shard.isAll()) {
            ObjectNode s = root.putObject("shard");
            s.put("index", shard.index());
            s.put("of", shard.of());
        }
        ObjectNode persistence = root.putObject("persistence");
        persistence.put("model", journal.persistence().label());
        persistence.put("chosenBy", journal.persistenceChosen() ? "option" : "filesystem");
        ArrayNode points = root.putArray("crashPoints");
        for (CrashJournalReader.Point p : journal.points()) {
            ObjectNode o = points.addObject();
            o.put("index", p.index() + 1);
            o.put("kind", p.kind());
            o.put("label", p.label());
            site(o.putObject("site"), p.site());
            o.put("thread", p.thread());
            o.put("pendingPages", p.dirty().size());
            o.put("pendingOperations", p.pendingOps().size());
        }
        ObjectNode counts = root.putObject("states");
        counts.put("yielded", states.yielded());
        counts.put("distinct", states.distinct());
        counts.put("checked", states.states().size());
        counts.put("capped", states.capped());
        counts.put("failed", failures.size());
        root.put("seconds", seconds);
        ArrayNode list = root.putArray("failures");
        for (CrashTest.Failure f : failures) {
            ObjectNode o = list.addObject();
            o.put("state", f.state().index());
            ObjectNode point = o.putObject("crashPoint");
            point.put("index", f.state().point().index() + 1);
            point.put("kind", f.state().point().kind());
            point.put("label", f.state().point().label());
            site(point.putObject("site"), f.state().point().site());
            point.put("thread", f.state().point().thread());
            pages(o.putArray("persisted"), journal.files(), f.state().persistedPages());
            pages(o.putArray("notPersisted"), journal.files(), f.state().lostPages());
            ArrayNode ops = o.putArray("notPersistedOperations");
            for (CrashJournalReader.NamespaceOp op : f.state().lostOps()) {
                ObjectNode n = ops.addObject();
                n.put("operation", switch (op.type()) {
                    case 'C' -> "create";
                    case 'R' -> "rename";
                    case 'L' -> "link";
                    case 'T' -> "resize";
                    default -> "unlink";
                });
                n.put("path", op.path());
                if (op.type() == 'T') {
                    n.put("size", op.size());
                }
                if (op.to() != null) {
                    n.put("to", op.to());
                }
                site(n.putObject("site"), op.site());
            }
            ArrayNode sizes = o.putArray("notPersistedSizes");
            for (CrashRun.LostSize lost : CrashRun.lostSizes(journal, f.state())) {
                ObjectNode n = sizes.addObject();
                n.put("file", journal.files().get(lost.file()).path());
                n.put("size", lost.size());
                n.put("sizeInState", lost.kept());
                if (lost.setAt() != null) {
                    site(n.putObject("setAt"), lost.setAt());
                }
            }
            CrashStates.Torn torn = f.state().torn();
            if (torn != null) {
                DirtyPage p = f.state().point().dirty().get(torn.index());
                ObjectNode t = o.putObject("torn");
                t.put("file", journal.files().get(p.file()).path());
                t.put("page", p.pgoff());
                site(t.putObject("storedAt"), p.site());
                t.put("linesPersisted", torn.linesPersisted());
                t.put("linesChanged", torn.linesChanged());
            }
            ObjectNode checker = o.putObject("checker");
            checker.put("exitStatus", f.exit());
            checker.put("output", f.output());
            o.put("directory", f.dir().toString());
            o.put("remedy", CrashRun.remedy(journal, f.state()));
        }
        ArrayNode causes = root.putArray("causes");
        for (FailureCauses.Cause c : FailureCauses.of(journal, failures)) {
            ObjectNode o = causes.addObject();
            o.put("kind", c.kind());
            o.put("description", c.description());
            if (c.site() != null) {
                site(o.putObject("site"), c.site());
            }
            ArrayNode numbers = o.putArray("states");
            c.states().forEach(numbers::add);
            o.put("remedy", c.remedy());
        }
        return root.toPrettyString();
    }

    /** A site as the audit report writes one. */
    private static void site(ObjectNode into, Site site) {
        into.put("className", site.className());
        into.put("method", site.method());
        into.put("fileName", site.fileName());
        into.put("line", site.line());
    }

    private static void pages(ArrayNode into, List<AuditedFile> files, List<DirtyPage> pages) {
        for (DirtyPage p : pages) {
            ObjectNode o = into.addObject();
            o.put("file", files.get(p.file()).path());
            o.put("page", p.pgoff());
            site(o.putObject("storedAt"), p.site());
        }
    }
}
