package dev.daxaudit.core;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A set of pages kept as disjoint runs {@code [start, end)}, merged when they touch. */
final class PageRuns {
    /** Empty until the first add: a file keeps four of these, most of them empty for good. */
    private NavigableMap<Long, Long> runs = Collections.emptyNavigableMap();

    PageRuns() {
    }

    private PageRuns(NavigableMap<Long, Long> runs) {
        if (!runs.isEmpty()) {
            this.runs = new TreeMap<>(runs);
        }
    }

    PageRuns copy() {
        return new PageRuns(runs);
    }

    void clear() {
        runs = Collections.emptyNavigableMap();
    }

    void add(long start, long end) {
        if (start >= end) {
            return;
        }
        if (!(runs instanceof TreeMap)) {
            runs = new TreeMap<>();
        }
        Map.Entry<Long, Long> before = runs.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> next = runs.ceilingEntry(start);
        while (next != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            runs.remove(next.getKey());
            next = runs.ceilingEntry(start);
        }
        runs.put(start, end);
    }

    /** Removes pages {@code [start, end)}; returns whether any was in the set. */
    boolean remove(long start, long end) {
        boolean removed = false;
        Map.Entry<Long, Long> run = runs.lowerEntry(end);
        while (run != null && run.getValue() > start) {
            long s = run.getKey();
            long e = run.getValue();
            runs.remove(s);
            removed = true;
            if (s < start) {
                runs.put(s, start);
            }
            if (e > end) {
                runs.put(end, e);
            }
            run = runs.lowerEntry(s);
        }
        return removed;
    }

    /** The parts of {@code [start, end)} that are in the set, as {@code [start, end)} pairs. */
    java.util.List<long[]> within(long start, long end) {
        java.util.List<long[]> out = new java.util.ArrayList<>();
        Map.Entry<Long, Long> run = runs.floorEntry(start);
        if (run == null || run.getValue() <= start) {
            run = runs.higherEntry(start);
        }
        while (run != null && run.getKey() < end) {
            out.add(new long[] {Math.max(start, run.getKey()), Math.min(end, run.getValue())});
            run = runs.higherEntry(run.getKey());
        }
        return out;
    }

    boolean contains(long page) {
        Map.Entry<Long, Long> run = runs.floorEntry(page);
        return run != null && run.getValue() > page;
    }

    /** Whether any page of {@code [start, end)} is in the set. */
    boolean intersects(long start, long end) {
        Map.Entry<Long, Long> run = runs.lowerEntry(end);
        return run != null && run.getValue() > start;
    }

    /** One past the last page in the set, or 0 when it is empty. */
    long lastEnd() {
        return runs.isEmpty() ? 0 : runs.lastEntry().getValue();
    }

    Iterable<Map.Entry<Long, Long>> runs() {
        return runs.entrySet();
    }
}
