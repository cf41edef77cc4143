package dev.daxaudit.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daxaudit.agent.report.Fingerprint;
import dev.daxaudit.agent.report.ReportDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code diff <old.json> <new.json>}: findings and hazards that are new, and those that were fixed, matched by
 * {@link Fingerprint} so that a baseline survives a moved checkout and edited line numbers. Exit status 1 when
 * anything is new, for CI gates.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two reports: new and fixed findings and hazards, matched by kind, file (relative to "
                + "each report's working directory) and the class and method of their sites; line numbers only break "
                + "ties. Exit status 0: nothing new; 1: something new; 2: bad input.")
final class DiffCommand implements Callable<Integer> {
    static final int SOMETHING_NEW = 1;

    @Parameters(index = "0", paramLabel = "<old.json>")
    Path before;

    @Parameters(index = "1", paramLabel = "<new.json>")
    Path after;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Compare file paths relative to DIR instead of each report's working directory.")
    Path root;

    @Option(names = "--file-names", description = "Compare files by name only (for files in temporary directories).")
    boolean fileNames;

    @Override
    public Integer call() throws Exception {
        Fingerprint.Paths paths = fileNames ? Fingerprint.Paths.namesOnly()
                : Fingerprint.Paths.relativeTo(root == null ? null : root.toAbsolutePath());
        Map<String, List<Fingerprint>> old = index(ReportDocument.read(before).root(), paths);
        Map<String, List<Fingerprint>> now = index(ReportDocument.read(after).root(), paths);
        List<String> added = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        int unchanged = 0;
        for (Map.Entry<String, List<Fingerprint>> e : now.entrySet()) {
            List<Fingerprint> before = old.getOrDefault(e.getKey(), new ArrayList<>());
            List<Fingerprint> after = new ArrayList<>(e.getValue());
            unchanged += pairOff(before, after);
            for (Fingerprint f : after) {
                added.add(f.key());
            }
        }
        for (List<Fingerprint> left : old.values()) { // what pairOff left unmatched
            for (Fingerprint f : left) {
                fixed.add(f.key());
            }
        }
        added.forEach(k -> System.out.println("NEW   " + k));
        fixed.forEach(k -> System.out.println("FIXED " + k));
        System.out.println(added.size() + " new, " + fixed.size() + " fixed, " + unchanged + " unchanged");
        return added.isEmpty() ? 0 : SOMETHING_NEW;
    }

    /**
     * Removes matched pairs from both lists (same lines first, then in order) and returns how many were matched:
     * what remains in {@code after} is new, what remains in {@code before} was fixed.
     */
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

    private static Map<String, List<Fingerprint>> index(JsonNode report, Fingerprint.Paths paths) {
        Map<String, List<Fingerprint>> byKey = new LinkedHashMap<>();
        for (JsonNode f : report.path("findings")) {
            Fingerprint fp = Fingerprint.ofFinding(f, report, paths);
            byKey.computeIfAbsent(fp.key(), k -> new ArrayList<>()).add(fp);
        }
        for (JsonNode h : report.path("hazards")) {
            Fingerprint fp = Fingerprint.ofHazard(h, report, paths);
            byKey.computeIfAbsent(fp.key(), k -> new ArrayList<>()).add(fp);
        }
        return byKey;
    }
}
