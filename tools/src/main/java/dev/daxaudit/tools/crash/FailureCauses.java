package dev.daxaudit.tools.crash;

import dev.daxaudit.core.report.Site;
import dev.daxaudit.tools.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashJournalReader.NamespaceOp;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Failing states grouped by what each lost first, so that one bug found at many crash points reads as one: a count
 * forced before each of its records fails once per record, and every one of those states lost a page stored at the
 * same line. The first lost item is, in this order, the first namespace operation lost, the page first stored of
 * those lost (by its store site, not its page), a size no sync persisted (by the write furthest past it), the torn
 * page; a state that lost none of them fails on what was already durable. Causes are listed in the order their
 * first state was found.
 */
public final class FailureCauses {
    /** One cause: what was lost first, where it came from, and the states that lost it first. */
    public record Cause(String kind, String description, Site site, List<Integer> states, String remedy) {
        /** The states as a reader scans them: runs of consecutive numbers as ranges ("1-400, 403"). */
        public String statesText() {
            StringBuilder text = new StringBuilder(states.size() == 1 ? "state " : "states ");
            List<Integer> sorted = states.stream().sorted().toList();
            for (int i = 0; i < sorted.size(); ) {
                int j = i;
                while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                    j++;
                }
                text.append(i == 0 ? "" : ", ").append(sorted.get(i));
                if (j > i) {
                    text.append(j == i + 1 ? ", " : "-").append(sorted.get(j));
                }
                i = j + 1;
            }
            return text.toString();
        }
    }

    private FailureCauses() {
    }

    static List<Cause> of(Journal journal, List<CrashTest.Failure> failures) {
        Map<String, List<CrashTest.Failure>> byCause = new LinkedHashMap<>();
        Map<String, String[]> what = new LinkedHashMap<>(); // kind, description
        Map<String, Site> sites = new LinkedHashMap<>();
        for (CrashTest.Failure f : failures) {
            CrashStates.State state = f.state();
            String kind;
            String description;
            Site site;
            List<NamespaceOp> ops = state.lostOps();
            List<DirtyPage> pages = state.lostPages();
            List<CrashRun.LostSize> sizes = CrashRun.lostSizes(journal, state);
            if (!ops.isEmpty()) {
                kind = "operation";
                description = ops.get(0).describe();
                site = ops.get(0).site();
            } else if (!pages.isEmpty()) {
                DirtyPage first = pages.stream().min(java.util.Comparator.comparingLong(DirtyPage::storedAtNanos))
                        .orElseThrow();
                kind = "page";
                description = "a page of " + Paths.get(journal.files().get(first.file()).path()).getFileName()
                        + " stored at " + first.site();
                site = first.site();
            } else if (!sizes.isEmpty()) {
                kind = "size";
                description = sizes.get(0).describe(journal);
                site = sizes.get(0).setAt();
            } else if (state.torn() != null) {
                kind = "torn";
                description = CrashRun.torn(journal, state);
                site = state.point().dirty().get(state.torn().index()).site();
            } else {
                kind = "durable";
                description = "what was durable at " + state.point().site() + " fails by itself";
                site = state.point().site();
            }
            String key = kind + " " + (kind.equals("torn") ? site : description);
            byCause.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
            what.putIfAbsent(key, new String[] {kind, description});
            sites.putIfAbsent(key, site);
        }
        List<Cause> out = new ArrayList<>();
        for (Map.Entry<String, List<CrashTest.Failure>> e : byCause.entrySet()) {
            List<Integer> states = new ArrayList<>();
            e.getValue().forEach(f -> states.add(f.state().index()));
            String[] w = what.get(e.getKey());
            out.add(new Cause(w[0], w[1], sites.get(e.getKey()), states,
                    CrashRun.remedy(journal, e.getValue().get(0).state())));
        }
        return out;
    }
}
