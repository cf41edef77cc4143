package dev.daxaudit.tools.report;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.Hazard;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two reports: findings and hazards matched by {@link Fingerprint}, equal line numbers
 * preferred among those of one fingerprint. What is left unmatched in the newer report is new, in the older fixed.
 */
public final class ReportDiff {
    private final List<String> added;
    private final List<String> fixed;
    private final int unchanged;

    private ReportDiff(List<String> added, List<String> fixed, int unchanged) {
        this.added = added;
        this.fixed = fixed;
        this.unchanged = unchanged;
    }

    public List<String> added() {
        return added;
    }

    public List<String> fixed() {
        return fixed;
    }

    public int unchanged() {
        return unchanged;
    }

    public static ReportDiff of(AuditReport before, AuditReport after, Fingerprint.Paths paths) {
        Map<String, List<Fingerprint>> old = index(before, paths);
        Map<String, List<Fingerprint>> now = index(after, paths);
        List<String> added = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        int unchanged = 0;
        for (Map.Entry<String, List<Fingerprint>> e : now.entrySet()) {
            List<Fingerprint> was = old.getOrDefault(e.getKey(), new ArrayList<>());
            List<Fingerprint> is = new ArrayList<>(e.getValue());
            unchanged += pairOff(was, is);
            is.forEach(f -> added.add(f.key()));
        }
        old.values().forEach(left -> left.forEach(f -> fixed.add(f.key())));
        return new ReportDiff(added, fixed, unchanged);
    }

    /** Removes matched pairs from both lists (same lines first, then in order); returns how many matched. */
    private static int pairOff(List<Fingerprint> before, List<Fingerprint> after) {
        int matched = 0;
        for (Iterator<Fingerprint> it = after.iterator(); it.hasNext(); ) {
            Fingerprint a = it.next();
            for (Iterator<Fingerprint> b = before.iterator(); b.hasNext(); ) {
                if (b.next().lines().equals(a.lines())) {
                    b.remove();
                    it.remove();
                    matched++;
                    break;
                }
            }
        }
        while (!before.isEmpty() && !after.isEmpty()) {
            before.remove(0);
            after.remove(0);
            matched++;
        }
        return matched;
    }

    private static Map<String, List<Fingerprint>> index(AuditReport report, Fingerprint.Paths paths) {
        Map<String, List<Fingerprint>> byKey = new LinkedHashMap<>();
        for (Finding f : report.findings()) {
            Fingerprint fp = Fingerprint.ofFinding(f, report, paths);
            byKey.computeIfAbsent(fp.key(), k -> new ArrayList<>()).add(fp);
        }
        for (Hazard h : report.hazards()) {
            Fingerprint fp = Fingerprint.ofHazard(h, report, paths);
            byKey.computeIfAbsent(fp.key(), k -> new ArrayList<>()).add(fp);
        }
        return byKey;
    }
}
