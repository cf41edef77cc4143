package dev.daxaudit.tools.crash;

import dev.daxaudit.tools.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.tools.crash.CrashJournalReader.Durable;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashJournalReader.NamespaceOp;
import dev.daxaudit.tools.crash.CrashJournalReader.Point;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The crash states of each crash point: the durable image plus a subset of the pages stored and not durable, at
 * their content then. Which subsets, as pmreorder's engines choose them: {@code prefix} (the pages in the order
 * first stored, every prefix: pmreorder's accumulative engine), {@code reverse} (every suffix: the newest first),
 * {@code random:N} (N subsets, seeded, so a run repeats), {@code full} or {@code full:K} (every subset where at
 * most K pages, default 8, are pending; prefixes beyond). States that leave the same files as one already listed
 * are listed once.
 */
public final class CrashStates {
    /**
     * One crash state: a point, which of its pending pages reached the media, at most one page of which only some
     * cache lines did ({@code torn}, or null), and which of its pending namespace operations persisted ({@code ops},
     * by their order in {@code point.pendingOps()}: a prefix under ext4, any set the model allows under posix).
     */
    public record State(int index, Point point, boolean[] persisted, Torn torn, boolean[] ops) {
        /** How many of the pending namespace operations persisted. */
        public int opsPersisted() {
            int n = 0;
            for (boolean op : ops) {
                n += op ? 1 : 0;
            }
            return n;
        }

        /** The namespace operations done in this state: the durable ones and the persisted pending ones, in order. */
        public List<NamespaceOp> persistedOps() {
            List<NamespaceOp> out = new ArrayList<>(point.durableOps());
            out.addAll(pendingOps(true));
            out.sort(java.util.Comparator.comparingInt(NamespaceOp::index));
            return out;
        }

        /** The pending namespace operations this state lost. */
        public List<NamespaceOp> lostOps() {
            return pendingOps(false);
        }

        /** The pending operations that persisted ({@code kept}) or were lost, in program order. */
        public List<NamespaceOp> pendingOps(boolean kept) {
            List<NamespaceOp> out = new ArrayList<>();
            for (int i = 0; i < ops.length; i++) {
                if (ops[i] == kept) {
                    out.add(point.pendingOps().get(i));
                }
            }
            return out;
        }

        public List<DirtyPage> persistedPages() {
            List<DirtyPage> out = new ArrayList<>();
            for (int i = 0; i < persisted.length; i++) {
                if (persisted[i]) {
                    out.add(point.dirty().get(i));
                }
            }
            return out;
        }

        /** The pending pages of which nothing reached the media. */
        public List<DirtyPage> lostPages() {
            List<DirtyPage> out = new ArrayList<>();
            for (int i = 0; i < persisted.length; i++) {
                if (!persisted[i] && (torn == null || torn.index != i)) {
                    out.add(point.dirty().get(i));
                }
            }
            return out;
        }
    }

    /**
     * A pending page of which {@code linesPersisted} of its {@code linesChanged} changed 64-byte cache lines reached
     * the media: on DAX, stores go to persistent memory through the CPU caches, which write lines back in any order.
     */
    public record Torn(int index, int linesPersisted, int linesChanged, byte[] content) {
    }

    /** How the states were counted: how many the strategy yields, how many distinct, how many listed. */
    public record Enumerated(List<State> states, long yielded, long distinct, boolean capped) {
    }

    private static final int LINE = 64;

    private final String strategy;
    private final int randomCount;
    private final int fullLimit;
    /** The content each page had before the point's pending stores, for torn pages; null: pages are atomic. */
    private BaseContent base;

    private CrashStates(String strategy, int randomCount, int fullLimit) {
        this.strategy = strategy;
        this.randomCount = randomCount;
        this.fullLimit = fullLimit;
    }

    /** The durable content of a page at a point, which a torn page's unpersisted lines keep. */
    public interface BaseContent {
        byte[] of(Point point, int file, long pgoff) throws java.io.IOException;
    }

    /**
     * Also yields torn pages ({@code --torn-lines}): at each prefix of the pending pages, the next page with only a
     * prefix, or only a suffix, of its changed cache lines persisted (in address order), over every split.
     */
    public CrashStates withTornLines(BaseContent base) {
        this.base = base;
        return this;
    }

    /** {@code prefix}, {@code reverse}, {@code random:N} or {@code full[:K]}; IllegalArgumentException otherwise. */
    public static CrashStates parse(String text) {
        String[] parts = text.split(":", 2);
        try {
            switch (parts[0]) {
                case "prefix", "reverse" -> {
                    if (parts.length == 1) {
                        return new CrashStates(parts[0], 0, 0);
                    }
                }
                case "random" -> {
                    int n = Integer.parseInt(parts[1]);
                    if (n > 0) {
                        return new CrashStates("random", n, 0);
                    }
                }
                case "full" -> {
                    int k = parts.length == 1 ? 8 : Integer.parseInt(parts[1]);
                    if (k > 0 && k <= 20) {
                        return new CrashStates("full", 0, k);
                    }
                }
                default -> {
                }
            }
        } catch (RuntimeException e) {
            // falls through to the one message below
        }
        throw new IllegalArgumentException("bad strategy '" + text + "' (expected prefix, reverse, random:N or full[:K] "
                + "with K at most 20)");
    }

    /**
     * The states of every point of {@code journal}: each subset of its pending pages the strategy yields, with each
     * set of its pending namespace operations the model allows ({@link OpOrders}).
     */
    public Enumerated enumerate(Journal journal, int maxStates) throws java.io.IOException {
        return enumerate(journal, maxStates, Shard.ALL);
    }

    /**
     * As {@link #enumerate(Journal, int)}, listing only the distinct states of {@code shard}; every state keeps its
     * number in the whole enumeration, so shards of one run merge into the unsharded list.
     */
    public Enumerated enumerate(Journal journal, int maxStates, Shard shard) throws java.io.IOException {
        List<State> states = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long yielded = 0;
        boolean capped = false;
        for (Point point : journal.points()) {
            List<State> candidates = new ArrayList<>();
            boolean ordered = journal.persistence() == Persistence.EXT4;
            List<boolean[]> opSets = ordered ? null : OpOrders.posix(point.pendingOps());
            int pending = point.pendingOps().size();
            for (boolean[] subset : subsets(point.dirty().size(), point.index())) {
                if (!ordered) {
                    for (boolean[] ops : opSets) {
                        candidates.add(new State(0, point, subset, null, ops));
                    }
                    continue;
                }
                for (int ops = opsCommittedWith(point, subset); ops <= pending; ops++) {
                    if (renamesCarryTheirData(point, subset, ops)) {
                        candidates.add(new State(0, point, subset, null, OpOrders.prefix(pending, ops)));
                    }
                }
            }
            if (base != null) {
                for (State torn : torn(point)) {
                    candidates.add(new State(0, point, torn.persisted(), torn.torn(), OpOrders.prefix(pending,
                            pending)));
                }
            }
            for (State candidate : candidates) {
                yielded++;
                if (!seen.add(fingerprint(journal, candidate))) {
                    continue;
                }
                int number = seen.size();
                if (!shard.holds(number)) {
                    continue;
                }
                if (states.size() < maxStates) {
                    states.add(new State(number, point, candidate.persisted(), candidate.torn(),
                            candidate.ops()));
                } else {
                    capped = true;
                }
            }
        }
        return new Enumerated(states, yielded, seen.size(), capped);
    }

    /**
     * Under ext4, the pending operations a state must keep with {@code subset}: a persisted page that had no blocks
     * allocated was allocated at its writeback, after its store, in a transaction whose commit persists every
     * metadata operation before it (data=ordered writes the page before that commit; without the commit the page is
     * not reachable). So every pending operation older than the page's first store persisted with it.
     */
    private static int opsCommittedWith(Point point, boolean[] subset) {
        int required = 0;
        for (int i = 0; i < subset.length; i++) {
            DirtyPage page = point.dirty().get(i);
            if (subset[i] && page.allocates()) {
                int before = 0;
                while (before < point.pendingOps().size()
                        && point.pendingOps().get(before).nanos() < page.storedAtNanos()) {
                    before++;
                }
                required = Math.max(required, before);
            }
        }
        return required;
    }

    /**
     * Under ext4, a persisted rename over an existing file carries the renamed file's pages stored before it
     * ({@code auto_da_alloc}, see {@link CrashJournalReader}): a state that keeps the first {@code ops} pending
     * operations keeps those pages too.
     */
    private static boolean renamesCarryTheirData(Point point, boolean[] subset, int ops) {
        for (int j = 0; j < ops; j++) {
            NamespaceOp op = point.pendingOps().get(j);
            if (op.replaces() && op.file() >= 0) {
                for (int i = 0; i < subset.length; i++) {
                    DirtyPage page = point.dirty().get(i);
                    if (!subset[i] && page.file() == op.file() && page.storedAtNanos() < op.nanos()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private List<boolean[]> subsets(int n, int pointIndex) {
        List<boolean[]> out = new ArrayList<>();
        if (strategy.equals("full") && n <= fullLimit) {
            for (int mask = 0; mask < (1 << n); mask++) {
                boolean[] subset = new boolean[n];
                for (int i = 0; i < n; i++) {
                    subset[i] = (mask & (1 << i)) != 0;
                }
                out.add(subset);
            }
        } else if (strategy.equals("random")) {
            SplittableRandom random = new SplittableRandom(pointIndex);
            for (int i = 0; i < randomCount; i++) {
                boolean[] subset = new boolean[n];
                for (int j = 0; j < n; j++) {
                    subset[j] = random.nextBoolean();
                }
                out.add(subset);
            }
        } else {
            boolean reverse = strategy.equals("reverse");
            for (int k = 0; k <= n; k++) {
                boolean[] subset = new boolean[n];
                for (int i = 0; i < k; i++) {
                    subset[reverse ? n - 1 - i : i] = true;
                }
                out.add(subset);
            }
        }
        return out;
    }

    /** Torn states of a point: pages before k persisted whole, page k with part of its changed lines. */
    private List<State> torn(Point point) throws java.io.IOException {
        List<State> out = new ArrayList<>();
        int n = point.dirty().size();
        for (int k = 0; k < n; k++) {
            DirtyPage page = point.dirty().get(k);
            byte[] before = base.of(point, page.file(), page.pgoff());
            List<Integer> changed = new ArrayList<>();
            for (int line = 0; line < page.content().length / LINE; line++) {
                if (!java.util.Arrays.equals(before, line * LINE, (line + 1) * LINE, page.content(), line * LINE,
                        (line + 1) * LINE)) {
                    changed.add(line);
                }
            }
            for (int j = 1; j < changed.size(); j++) {
                for (List<Integer> lines : List.of(changed.subList(0, j), changed.subList(changed.size() - j,
                        changed.size()))) {
                    byte[] content = before.clone();
                    for (int line : lines) {
                        System.arraycopy(page.content(), line * LINE, content, line * LINE, LINE);
                    }
                    boolean[] persisted = new boolean[n];
                    java.util.Arrays.fill(persisted, 0, k, true);
                    out.add(new State(0, point, persisted, new Torn(k, j, changed.size(), content),
                            OpOrders.prefix(point.pendingOps().size(), 0)));
                }
            }
        }
        return out;
    }

    /** What the files hold in this state, as names, sizes and page checksums: equal fingerprints, equal files. */
    private static String fingerprint(Journal journal, State state) {
        Point point = state.point();
        boolean[] persisted = state.persisted();
        StringBuilder key = new StringBuilder(journal.names(state.persistedOps()).toString());
        for (Map.Entry<Integer, Durable> file : new TreeMap<>(point.durable()).entrySet()) {
            TreeMap<Long, byte[]> pages = new TreeMap<>(file.getValue().pages());
            for (int i = 0; i < persisted.length; i++) {
                DirtyPage p = point.dirty().get(i);
                if (persisted[i] && p.file() == file.getKey()) {
                    pages.put(p.pgoff(), p.content());
                }
            }
            Torn torn = state.torn();
            if (torn != null && point.dirty().get(torn.index()).file() == file.getKey()) {
                pages.put(point.dirty().get(torn.index()).pgoff(), torn.content());
            }
            key.append(file.getKey()).append(':')
                    .append(CrashImage.size(state, journal, file.getKey(), file.getValue().size())).append('[');
            for (Map.Entry<Long, byte[]> page : pages.entrySet()) {
                CRC32 crc = new CRC32();
                crc.update(page.getValue());
                key.append(page.getKey()).append('=').append(crc.getValue()).append(',');
            }
            key.append(']');
        }
        return key.toString();
    }
}
