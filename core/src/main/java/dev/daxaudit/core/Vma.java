package dev.daxaudit.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One live mapping of a file ({@code struct vm_area_struct}): a page-aligned range of addresses over a range of
 * file pages. {@link #pte} holds one byte per page: 1 once a write fault made the page writable in this mapping,
 * 0 while it is write-protected (never written, or cleaned by writeback). That byte is all a store to an
 * already-dirty page reads, which is what keeps the store fast path cheap.
 */
public final class Vma {
    static final VarHandle PTE = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final int STRIPES = 8;
    /** 16 longs = 128 bytes between stripes: two threads never count into the same cache line pair. */
    private static final int STRIPE_PAD = 16;

    final long start;
    final long size;
    final long pgoff;
    /** {@code size - 7}: a store of up to 8 bytes at offset {@code o} fits when {@code o < scalarLimit}, unsigned. */
    final long scalarLimit;
    final MappingMode mode;
    final AddressSpace mapping;
    final byte[] pte;
    final Site mapSite;
    final String mapThread;
    /** The virtual address and the file offset agree modulo 2 MiB, so a PMD can map this range. */
    final boolean pmdColoured;
    volatile boolean live = true;
    private final long[] stored = new long[STRIPES * STRIPE_PAD];

    Vma(AddressSpace mapping, MappingMode mode, long start, long size, long pgoff, Site mapSite, String mapThread) {
        this.mapping = mapping;
        this.mode = mode;
        this.start = start;
        this.size = size;
        this.pgoff = pgoff;
        this.scalarLimit = size == 0 ? 0 : size - 7;
        this.mapSite = mapSite;
        this.mapThread = mapThread;
        this.pte = new byte[(int) (size >>> Pages.PAGE_SHIFT)];
        this.pmdColoured = ((start - (pgoff << Pages.PAGE_SHIFT)) & (Pages.PMD_SIZE - 1)) == 0;
    }

    /** A mapping of nothing: the store fast path's cache starts here and returns here after an unmap. */
    static Vma none() {
        return new Vma(null, MappingMode.READ_ONLY, 0, 0, 0, null, null);
    }

    long end() {
        return start + size;
    }

    long pgoffEnd() {
        return pgoff + (size >>> Pages.PAGE_SHIFT);
    }

    boolean isWritable(int page) {
        return (byte) PTE.getOpaque(pte, page) != 0;
    }

    /**
     * Counts stored bytes in a per-thread stripe. The count is racy by design (a lost update under a
     * stripe collision costs a few bytes of accuracy, a lock would cost the fast path).
     */
    void countStore(long length) {
        int stripe = ((int) Thread.currentThread().getId() & (STRIPES - 1)) * STRIPE_PAD;
        stored[stripe] += length;
    }

    long bytesStored() {
        long sum = 0;
        for (int i = 0; i < STRIPES; i++) {
            sum += stored[i * STRIPE_PAD];
        }
        return sum;
    }
}
