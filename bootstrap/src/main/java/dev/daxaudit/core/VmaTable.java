package dev.daxaudit.core;

import java.util.Arrays;

/**
 * The live shared-writable mappings of the process, sorted by address ({@code find_vma}), and the store
 * fast path over them.
 *
 * <p>Every off-heap store in the JVM reaches {@link #store}: mapped buffers, plain direct buffers, segments.
 * The fast path ({@link #storeScalar}) is two checks: the store lies in the last mapping that was hit (a racy
 * one-entry cache; one unsigned compare), and the page's byte says it is already stored into and writable. A store outside the cached mapping is then checked against the
 * lowest and highest mapped address, which rejects most plain direct memory without a lookup. Everything else is
 * out of line: another mapping, a store crossing pages or mappings, and the write fault itself.
 *
 * <p>The hooks call {@link #store} after the store has landed, so a page is never marked dirty before its data
 * is there: a writeback that clears the page's byte between the store and the check sends the check to the slow
 * path, which records the page as stored again, never the reverse.
 */
public final class VmaTable {
    private static final Vma NONE = Vma.none();

    /* Plain fields: a mapping is published to other threads through the buffer object that the map call
       returns, so a thread that can store into it has seen these writes. */
    private long low = Long.MAX_VALUE; // lowest and highest mapped address; plain compares (JDK 17 C2 does worse
    // with the unsigned "+ Long.MIN_VALUE" form here, measured)
    private long high = Long.MIN_VALUE;
    private Vma cached = NONE;
    /* The last stretch between two mappings that a store fell into: plain direct memory that happens to lie among
       the mappings (a direct buffer allocated after a map, say) is then rejected without a lookup. Checked out of
       line, so that the fast path above stays small enough to be inlined into the application's loops. */
    private Gap gap = Gap.NONE;
    private volatile Layout layout = Layout.EMPTY;

    /**
     * Records a store of 1 to 8 bytes at {@code address}, after it landed. {@code countBytes} is a constant at
     * every call site, so the JIT drops the counting when it is off.
     */
    public void storeScalar(long address, int length, boolean countBytes) {
        if (address < low || address >= high) {
            return; // below the lowest or above the highest mapping: plain direct memory
        }
        Vma vma = cached;
        long offset = address - vma.start;
        // One unsigned compare: false for offsets below the mapping (negative) and for stores past its last 8 bytes.
        if (offset + Long.MIN_VALUE < vma.scalarLimit + Long.MIN_VALUE) {
            if (!vma.isStored((int) (offset >>> Pages.PAGE_SHIFT))
                    || (offset & (Pages.PAGE_SIZE - 1)) + length > Pages.PAGE_SIZE) {
                markWritten(vma, offset, length);
            }
            if (countBytes) {
                vma.countStore(length);
            }
        } else {
            storeOutsideCached(address, length, countBytes);
        }
    }

    /** Records a store of {@code length > 0} bytes at {@code address}, after it landed. */
    public void store(long address, long length, boolean countBytes) {
        Vma vma = cached;
        long offset = address - vma.start;
        if (offset >= 0 && offset <= vma.size - length) {
            markWritten(vma, offset, length);
            if (countBytes) {
                vma.countStore(length);
            }
        } else if (address >= low && address < high) {
            storeOutsideCached(address, length, countBytes);
        }
    }

    /**
     * The store is not one the fast path can skip: a page not yet stored into since it was last made durable or
     * tagged, a store that crosses pages, or a MAP_SYNC mapping (tracked per cache line). Still cheap when every
     * page (or line) it touches is already recorded; the engine is called only when one is not.
     */
    private static void markWritten(Vma vma, long offset, long length) {
        if (vma.isSync()) {
            if (!vma.linesStored(offset, length)) {
                vma.mapping.store(vma, offset, length);
            }
            return;
        }
        int first = (int) (offset >>> Pages.PAGE_SHIFT);
        int last = (int) ((offset + length - 1) >>> Pages.PAGE_SHIFT);
        if (!vma.isStored(first) || (last != first && !allStored(vma, first + 1, last))) {
            vma.mapping.store(vma, offset, length);
        }
    }

    private static boolean allStored(Vma vma, int from, int to) {
        for (int page = from; page <= to; page++) {
            if (!vma.isStored(page)) {
                return false;
            }
        }
        return true;
    }

    /** A store outside the cached mapping: find every mapping it touches (usually one) and cache the last. */
    private void storeOutsideCached(long address, long length, boolean countBytes) {
        if (gap.holds(address, length)) {
            return;
        }
        Layout current = layout;
        Vma[] vmas = current.vmas;
        long end = address + length;
        int below = floor(current.starts, address);
        if (vmas.length > 0 && vmas[below].end() <= address && (below + 1 == vmas.length || vmas[below + 1].start >= end)) {
            // In no mapping: remember the stretch between the mapping below and the next one.
            gap = new Gap(vmas[below].end(), below + 1 == vmas.length ? high : vmas[below + 1].start);
            return;
        }
        for (int i = below; i < vmas.length && vmas[i].start < end; i++) {
            Vma vma = vmas[i];
            long from = Math.max(address, vma.start);
            long to = Math.min(end, vma.end());
            if (from < to) {
                markWritten(vma, from - vma.start, to - from);
                if (countBytes) {
                    vma.countStore(to - from);
                }
                cached = vma;
            }
        }
    }

    /** Index of the last mapping starting at or below {@code address}, or 0. */
    private static int floor(long[] starts, long address) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= address) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The live mapping containing {@code address}, or null. */
    public Vma find(long address) {
        Layout current = layout;
        if (current.vmas.length == 0) {
            return null;
        }
        Vma vma = current.vmas[floor(current.starts, address)];
        return address >= vma.start && address < vma.end() ? vma : null;
    }

    /** The live mapping that starts at {@code address}, or null. */
    Vma startingAt(long address) {
        Vma vma = find(address);
        return vma != null && vma.start == address ? vma : null;
    }

    synchronized void insert(Vma vma) {
        Vma[] vmas = Arrays.copyOf(layout.vmas, layout.vmas.length + 1);
        int i = vmas.length - 1;
        while (i > 0 && vmas[i - 1].start > vma.start) {
            vmas[i] = vmas[i - 1];
            i--;
        }
        vmas[i] = vma;
        publish(vmas);
    }

    synchronized void remove(Vma vma) {
        Vma[] vmas = layout.vmas;
        for (int i = 0; i < vmas.length; i++) {
            if (vmas[i] == vma) {
                Vma[] rest = new Vma[vmas.length - 1];
                System.arraycopy(vmas, 0, rest, 0, i);
                System.arraycopy(vmas, i + 1, rest, i, rest.length - i);
                publish(rest);
                return;
            }
        }
    }

    private void publish(Vma[] vmas) {
        layout = new Layout(vmas);
        cached = NONE;
        gap = Gap.NONE;
        long max = Long.MIN_VALUE;
        for (Vma vma : vmas) {
            max = Math.max(max, vma.end());
        }
        low = vmas.length == 0 ? Long.MAX_VALUE : vmas[0].start;
        high = max;
    }

    /** A stretch of addresses [start, end) known to hold no mapping. */
    private static final class Gap {
        static final Gap NONE = new Gap(0, 0);
        final long start;
        final long size;

        Gap(long start, long end) {
            this.start = start;
            this.size = Math.max(0, end - start);
        }

        /** Whether [address, address + length) lies inside: one unsigned compare for the start, one for the end. */
        boolean holds(long address, long length) {
            long offset = address - start;
            return offset + Long.MIN_VALUE < size + Long.MIN_VALUE && length <= size - offset;
        }
    }

    /**
     * The mappings sorted by address, with their start addresses in an array of their own: the lookup's binary
     * search then reads one cache-friendly array instead of a mapping object per step (10,000 mappings: 14 steps).
     */
    private static final class Layout {
        static final Layout EMPTY = new Layout(new Vma[0]);
        final Vma[] vmas;
        final long[] starts;

        Layout(Vma[] vmas) {
            this.vmas = vmas;
            this.starts = new long[vmas.length];
            for (int i = 0; i < vmas.length; i++) {
                starts[i] = vmas[i].start;
            }
        }
    }
}
