package dev.daxaudit.core.crash;

import dev.daxaudit.core.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.core.crash.CrashJournalReader.Durable;
import dev.daxaudit.core.crash.CrashJournalReader.Point;
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
    /** One crash state: a point, and which of its pending pages reached the media. */
    public record State(int index, Point point, boolean[] persisted) {
        public List<DirtyPage> persistedPages() {
            List<DirtyPage> out = new ArrayList<>();
            for (int i = 0; i < persisted.length; i++) {
                if (persisted[i]) {
                    out.add(point.dirty().get(i));
                }
            }
            return out;
        }

        public List<DirtyPage> lostPages() {
            List<DirtyPage> out = new ArrayList<>();
            for (int i = 0; i < persisted.length; i++) {
                if (!persisted[i]) {
                    out.add(point.dirty().get(i));
                }
            }
            return out;
        }
    }

    /** How the states were counted: how many the strategy yields, how many distinct, how many listed. */
    public record Enumerated(List<State> states, long yielded, long distinct, boolean capped) {
    }

    private final String strategy;
    private final int randomCount;
    private final int fullLimit;

    private CrashStates(String strategy, int randomCount, int fullLimit) {
        this.strategy = strategy;
        this.randomCount = randomCount;
        this.fullLimit = fullLimit;
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

    public Enumerated enumerate(List<Point> points, int maxStates) {
        List<State> states = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long yielded = 0;
        boolean capped = false;
        for (Point point : points) {
            for (boolean[] subset : subsets(point.dirty().size(), point.index())) {
                yielded++;
                if (!seen.add(fingerprint(point, subset))) {
                    continue;
                }
                if (states.size() < maxStates) {
                    states.add(new State(states.size() + 1, point, subset));
                } else {
                    capped = true;
                }
            }
        }
        return new Enumerated(states, yielded, seen.size(), capped);
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

    /** What the files hold in this state, as sizes and page checksums: equal fingerprints, equal files. */
    private static String fingerprint(Point point, boolean[] persisted) {
        StringBuilder key = new StringBuilder();
        for (Map.Entry<Integer, Durable> file : new TreeMap<>(point.durable()).entrySet()) {
            TreeMap<Long, byte[]> pages = new TreeMap<>(file.getValue().pages());
            for (int i = 0; i < persisted.length; i++) {
                DirtyPage p = point.dirty().get(i);
                if (persisted[i] && p.file() == file.getKey()) {
                    pages.put(p.pgoff(), p.content());
                }
            }
            key.append(file.getKey()).append(':').append(file.getValue().size()).append('[');
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
