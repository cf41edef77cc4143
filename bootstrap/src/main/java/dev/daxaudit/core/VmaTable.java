package dev.daxaudit.core;

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
    /* Counts maps and unmaps: a gap found before one of them is not used after it, though a storing thread may write
       it into `gap` after the map reset it (the new mapping may lie in that stretch). */
    private volatile int epoch;
    private final SortedVmas vmas = new SortedVmas();
    /** Tests only: what another thread does between a slow-path lookup and the cache update. Null otherwise. */
    private Runnable afterLookup;

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
        int now = epoch;
        Gap known = gap;
        if (known.epoch == now && known.holds(address, length)) {
            return;
        }
        long end = address + length;
        Vma vma = vmas.within(address, end);
        if (vma != null) {
            markWritten(vma, address - vma.start, length);
            if (countBytes) {
                vma.countStore(length);
            }
            cache(vma, now);
            return;
        }
        SortedVmas.Touched touched = vmas.touched(address, end);
        if (touched.vmas().isEmpty()) {
            // In no mapping: remember the stretch between the mapping below and the next one.
            if (touched.gapStart() != Long.MIN_VALUE && touched.gapEnd() != Long.MAX_VALUE) {
                gap = new Gap(touched.gapStart(), touched.gapEnd(), now);
            }
            return;
        }
        for (Vma v : touched.vmas()) {
            long from = Math.max(address, v.start);
            long to = Math.min(end, v.end());
            markWritten(v, from - v.start, to - from);
            if (countBytes) {
                v.countStore(to - from);
            }
            cache(v, now);
        }
    }

    /**
     * Makes {@code vma}, found by a lookup at {@code seen}, the cached mapping, unless a map or unmap came since: it
     * may have removed {@code vma}, and a new mapping at the same addresses (the kernel reuses freed ranges at once)
     * would then have its stores sent to the dead one by the fast path, their pages never recorded. The fence
     * orders the cache write before the epoch read: a map or unmap whose increment this read misses resets the cache
     * after this write.
     */
    private void cache(Vma vma, int seen) {
        if (afterLookup != null) {
            afterLookup.run();
        }
        cached = vma;
        java.lang.invoke.VarHandle.fullFence();
        if (epoch != seen) {
            cached = NONE;
        }
    }

    /** Tests only: runs {@code r} between the next slow-path lookups and their cache updates. */
    void afterLookup(Runnable r) {
        afterLookup = r;
    }

    /** The live mapping containing {@code address}, or null. */
    public Vma find(long address) {
        return vmas.within(address, address + 1);
    }

    /** The live mapping that starts at {@code address}, or null. */
    Vma startingAt(long address) {
        Vma vma = find(address);
        return vma != null && vma.start == address ? vma : null;
    }

    synchronized void insert(Vma vma) {
        epoch++;
        vmas.insert(vma);
        cached = NONE;
        gap = Gap.NONE;
        low = Math.min(low, vma.start);
        high = Math.max(high, vma.end());
    }

    synchronized void remove(Vma vma) {
        if (!vmas.remove(vma)) {
            return;
        }
        epoch++;
        cached = NONE;
        gap = Gap.NONE;
        low = vmas.lowest();
        if (vma.end() >= high) {
            high = vmas.highestEnd(); // the highest one went: a walk over the rest, as munmap of the top does
        }
    }

    /** A stretch of addresses [start, end) known to hold no mapping. */
    private static final class Gap {
        static final Gap NONE = new Gap(0, 0, -1);
        final long start;
        final long size;
        final int epoch;

        Gap(long start, long end, int epoch) {
            this.start = start;
            this.size = Math.max(0, end - start);
            this.epoch = epoch;
        }

        /** Whether [address, address + length) lies inside: one unsigned compare for the start, one for the end. */
        boolean holds(long address, long length) {
            long offset = address - start;
            return offset + Long.MIN_VALUE < size + Long.MIN_VALUE && length <= size - offset;
        }
    }
}
