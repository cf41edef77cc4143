package dev.daxaudit.tools.crash;

import dev.daxaudit.tools.crash.CrashJournalReader.NamespaceOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which sets of a point's pending namespace operations a crash can persist. Under ext4 a prefix: one journal
 * commits them in program order. Under posix nothing orders operations that share nothing: a filesystem writes each
 * directory's blocks on its own, so the entry created in {@code data/} and the one created after it in {@code meta/}
 * can reach the disk in either order, and a crash can keep the second without the first. Operations that touch one
 * directory, or one file, stay in program order (an entry cannot be renamed before it exists; a directory's own
 * updates are not reordered here, which keeps every state one a journaled or a simple filesystem can leave). So a
 * posix state keeps a set closed under "an earlier operation it shares a directory or a file with".
 */
final class OpOrders {
    /** Above this many allowed sets, the prefixes and each operation with only what it needs, not every set. */
    static final int MAX_SETS = 64;

    private OpOrders() {
    }

    /** The first {@code k} of {@code n} operations. */
    static boolean[] prefix(int n, int k) {
        boolean[] ops = new boolean[n];
        java.util.Arrays.fill(ops, 0, k, true);
        return ops;
    }

    /**
     * The sets posix allows: every set closed under the order above, when there are at most {@link #MAX_SETS};
     * otherwise every prefix, and every prefix joined with one later operation and what that operation needs (the
     * state in which exactly one unordered operation overtook the others, which is where ordering bugs show).
     */
    static List<boolean[]> posix(List<NamespaceOp> ops) {
        int n = ops.size();
        List<Set<Integer>> needs = new ArrayList<>(n); // each operation's earlier operations, transitively
        for (int j = 0; j < n; j++) {
            Set<Integer> before = new HashSet<>();
            for (int i = 0; i < j; i++) {
                if (ordered(ops.get(i), ops.get(j))) {
                    before.add(i);
                    before.addAll(needs.get(i));
                }
            }
            needs.add(before);
        }
        List<boolean[]> all = new ArrayList<>();
        if (closedSets(needs, 0, new boolean[n], all) <= MAX_SETS) {
            return all;
        }
        Set<String> seen = new LinkedHashSet<>();
        List<boolean[]> out = new ArrayList<>();
        for (int k = 0; k <= n; k++) {
            add(out, seen, prefix(n, k));
            for (int j = k; j < n; j++) {
                boolean[] set = prefix(n, k);
                set[j] = true;
                needs.get(j).forEach(i -> set[i] = true);
                add(out, seen, set);
            }
        }
        return out;
    }

    /** Whether a crash keeps {@code later} only with {@code earlier}: they share a directory or a file. */
    static boolean ordered(NamespaceOp earlier, NamespaceOp later) {
        if (earlier.file() >= 0 && earlier.file() == later.file()) {
            return true;
        }
        for (String dir : later.directories()) {
            if (earlier.directories().contains(dir)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds to {@code out} every closed set that agrees with {@code set} below {@code j}, stopping (and returning a
     * count above {@link #MAX_SETS}) once there are too many to list.
     */
    private static int closedSets(List<Set<Integer>> needs, int j, boolean[] set, List<boolean[]> out) {
        if (out.size() > MAX_SETS) {
            return out.size();
        }
        if (j == set.length) {
            out.add(set.clone());
            return out.size();
        }
        set[j] = false;
        closedSets(needs, j + 1, set, out);
        boolean allowed = true;
        for (int i : needs.get(j)) {
            allowed &= set[i];
        }
        if (allowed) {
            set[j] = true;
            closedSets(needs, j + 1, set, out);
            set[j] = false;
        }
        return out.size();
    }

    private static void add(List<boolean[]> out, Set<String> seen, boolean[] set) {
        if (seen.add(java.util.Arrays.toString(set))) {
            out.add(set);
        }
    }
}
