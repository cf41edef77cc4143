package dev.daxaudit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.StampedLock;

/**
 * The live mappings sorted by start address, as the kernel's {@code find_vma} sees them, changed in place: a map or
 * unmap moves the entries on the shorter side of its slot by one ({@code mmap} hands out addresses top-down, so a
 * new mapping usually goes first, and costs nothing to move), never copies the table. A copy per map made 100,000
 * mappings quadratic: every map copied, and read the start of, every live mapping.
 *
 * <p>Lookups take no lock: they read optimistically ({@link StampedLock#tryOptimisticRead}) and look again under the
 * read lock when a map or unmap ran meanwhile. Entries are in {@code [first, last)} of the two arrays, whose starts
 * are kept in an array of their own so that the binary search reads one array, not a mapping object per step.
 */
final class SortedVmas {
    private final StampedLock lock = new StampedLock();
    private Vma[] vmas = new Vma[16];
    private long[] starts = new long[16];
    private int first = 8;
    private int last = 8;

    void insert(Vma vma) {
        long stamp = lock.writeLock();
        try {
            int at = ceiling(vma.start);
            boolean leftSide = at - first <= last - at; // move the side with fewer entries
            if (leftSide ? first == 0 : last == vmas.length) {
                relayout(); // no room there: centre the entries again, in arrays twice as large when half full
                at = ceiling(vma.start);
            }
            if (leftSide) {
                System.arraycopy(vmas, first, vmas, first - 1, at - first);
                System.arraycopy(starts, first, starts, first - 1, at - first);
                first--;
                at--;
            } else {
                System.arraycopy(vmas, at, vmas, at + 1, last - at);
                System.arraycopy(starts, at, starts, at + 1, last - at);
                last++;
            }
            vmas[at] = vma;
            starts[at] = vma.start;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * The entries in the middle of new arrays, with at least a quarter of them free on each side: the moves that
     * fill that room cost one entry each, so a run of maps costs what it maps, not what is mapped.
     */
    private void relayout() {
        int count = last - first;
        int capacity = count + 1 > vmas.length / 2 ? vmas.length * 2 : vmas.length;
        int newFirst = (capacity - count) / 2;
        Vma[] v = new Vma[capacity];
        long[] s = new long[capacity];
        System.arraycopy(vmas, first, v, newFirst, count);
        System.arraycopy(starts, first, s, newFirst, count);
        vmas = v;
        starts = s;
        first = newFirst;
        last = newFirst + count;
    }

    /** Removes {@code vma}; returns whether it was there. */
    boolean remove(Vma vma) {
        long stamp = lock.writeLock();
        try {
            int at = ceiling(vma.start);
            while (at < last && starts[at] == vma.start && vmas[at] != vma) {
                at++;
            }
            if (at >= last || vmas[at] != vma) {
                return false;
            }
            if (at - first < last - at) {
                System.arraycopy(vmas, first, vmas, first + 1, at - first);
                System.arraycopy(starts, first, starts, first + 1, at - first);
                vmas[first++] = null;
            } else {
                System.arraycopy(vmas, at + 1, vmas, at, last - at - 1);
                System.arraycopy(starts, at + 1, starts, at, last - at - 1);
                vmas[--last] = null;
            }
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** The first entry whose start is at or above {@code start} (or {@code last}); under the write lock. */
    private int ceiling(long start) {
        int lo = first;
        int hi = last;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] < start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    int size() {
        long stamp = lock.readLock();
        try {
            return last - first;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The lowest start of the live mappings, or {@code Long.MAX_VALUE} when there is none. */
    long lowest() {
        long stamp = lock.readLock();
        try {
            return first == last ? Long.MAX_VALUE : starts[first];
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The highest end of the live mappings, or {@code Long.MIN_VALUE}: a walk over all of them, for an unmap. */
    long highestEnd() {
        long stamp = lock.readLock();
        try {
            long high = Long.MIN_VALUE;
            for (int i = first; i < last; i++) {
                high = Math.max(high, vmas[i].end());
            }
            return high;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The live mapping that holds all of {@code [address, end)}, or null. Allocates nothing. */
    Vma within(long address, long end) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            Vma found = withinUnlocked(address, end);
            if (lock.validate(stamp)) {
                return found;
            }
        }
        stamp = lock.readLock();
        try {
            return withinUnlocked(address, end);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * The search over the fields as read: without the lock they may be torn by a concurrent map or unmap, so every
     * index is checked against the arrays it reads, and the answer counts only if the stamp still validates.
     */
    private Vma withinUnlocked(long address, long end) {
        Vma[] v = vmas;
        long[] s = starts;
        int below = floor(s, first, Math.min(last, Math.min(v.length, s.length)), address);
        Vma vma = below < 0 ? null : v[below];
        return vma != null && address >= vma.start && end <= vma.end() ? vma : null;
    }

    /** The last index in {@code [lo, hi)} whose start is at or below {@code address}, or -1. */
    private static int floor(long[] s, int lo, int hi, long address) {
        int found = -1;
        int l = Math.max(lo, 0);
        int h = hi - 1;
        while (l <= h) {
            int mid = (l + h) >>> 1;
            if (s[mid] <= address) {
                found = mid;
                l = mid + 1;
            } else {
                h = mid - 1;
            }
        }
        return found;
    }

    /**
     * Every live mapping that {@code [address, end)} touches, in address order; when none, the stretch without a
     * mapping around it: {@code gapStart} is the end of the mapping below ({@code Long.MIN_VALUE}: none),
     * {@code gapEnd} the start of the one above ({@code Long.MAX_VALUE}: none). Under the read lock.
     */
    Touched touched(long address, long end) {
        long stamp = lock.readLock();
        try {
            int below = floor(starts, first, last, address);
            List<Vma> out = new ArrayList<>(2);
            for (int i = Math.max(below, first); i < last && vmas[i].start < end; i++) {
                if (vmas[i].end() > address) {
                    out.add(vmas[i]);
                }
            }
            long gapStart = below < 0 ? Long.MIN_VALUE : vmas[below].end();
            long gapEnd = below + 1 < last ? starts[below + 1] : Long.MAX_VALUE;
            return new Touched(out, gapStart, gapEnd);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** What {@link #touched} found. */
    record Touched(List<Vma> vmas, long gapStart, long gapEnd) {
    }
}
