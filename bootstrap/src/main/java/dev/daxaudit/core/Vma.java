package dev.daxaudit.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One live mapping of a file ({@code struct vm_area_struct}): a page-aligned range of addresses over a range of
 * file pages, with one byte per page that the store fast path reads and nothing else.
 *
 * <p>The byte holds two bits. {@link #WRITE} is the kernel model's page table: the page is mapped writable here, so
 * a store takes no kernel fault (a PMD fault sets it for all 512 pages; writeback and truncate clear it, which is
 * {@code pfn_mkclean_range}). {@link #STORED} is the data truth: the program stored into the page since it was last
 * made durable or last tagged for writeback. Only {@link #WRITTEN}, both bits, lets a store skip the engine: any
 * other value sends the store to the slow path, which records the page (and takes the kernel's fault when
 * {@code WRITE} is clear). Writers hold the owning {@link AddressSpace}'s monitor; the fast path reads racily.
 *
 * <p>A MAP_SYNC mapping never sets {@code STORED}: its stores are tracked per 64-byte cache line in
 * {@link #lines}, because a force of such a mapping writes back cache lines, not pages.
 */
public final class Vma {
    static final VarHandle PTE = MethodHandles.arrayElementVarHandle(byte[].class);
    static final VarHandle LINES = MethodHandles.arrayElementVarHandle(long[].class);
    static final byte WRITE = 1;
    static final byte STORED = 2;
    static final byte WRITTEN = WRITE | STORED;
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
    /** MAP_SYNC mappings only: per page, the cache lines stored since they were last tagged for a flush. */
    final long[] lines;
    final Event mapped;
    /** The virtual address and the file offset agree modulo 2 MiB, so a PMD can map this range. */
    final boolean pmdColoured;
    volatile boolean live = true;
    /** Handed to the kernel tracker ({@link KernelWrites}): its stores are collected from the kernel. */
    volatile boolean kernelTracked;
    /** storedBytes=true only, made at the first count: 1 KiB a mapping that 100,000 mappings cannot spare. */
    private volatile long[] stored;

    Vma(AddressSpace mapping, MappingMode mode, long start, long size, long pgoff, Event mapped) {
        this.mapping = mapping;
        this.mode = mode;
        this.start = start;
        this.size = size;
        this.pgoff = pgoff;
        this.scalarLimit = size == 0 ? 0 : size - 7;
        this.mapped = mapped;
        int pages = (int) (size >>> Pages.PAGE_SHIFT);
        this.pte = new byte[pages];
        this.lines = mode.isSync() && mode.isSharedWritable() ? new long[pages] : null;
        this.pmdColoured = ((start - (pgoff << Pages.PAGE_SHIFT)) & (Pages.PMD_SIZE - 1)) == 0;
    }

    /** A mapping of nothing: the store fast path's cache starts here and returns here after an unmap. */
    static Vma none() {
        return new Vma(null, MappingMode.READ_ONLY, 0, 0, 0, null);
    }

    long end() {
        return start + size;
    }

    long pgoffEnd() {
        return pgoff + (size >>> Pages.PAGE_SHIFT);
    }

    boolean covers(long filePage) {
        return filePage >= pgoff && filePage < pgoffEnd();
    }

    boolean isSync() {
        return lines != null;
    }

    /** The fast path's test: stored into since last clean, and writable. */
    boolean isStored(int page) {
        return (byte) PTE.getOpaque(pte, page) == WRITTEN;
    }

    boolean isWritable(int page) {
        return ((byte) PTE.getOpaque(pte, page) & WRITE) != 0;
    }

    /** Whether every page of {@code [first, last]} is writable: a store there takes no kernel fault. */
    boolean allWritable(int first, int last) {
        for (int page = first; page <= last; page++) {
            if (!isWritable(page)) {
                return false;
            }
        }
        return true;
    }

    void grantWrite(int page) {
        PTE.setOpaque(pte, page, (byte) ((byte) PTE.getOpaque(pte, page) | WRITE));
    }

    void markStored(int page) {
        PTE.setOpaque(pte, page, (byte) ((byte) PTE.getOpaque(pte, page) | STORED));
    }

    /** Tagged for writeback: the next store is recorded, though the page stays writable. */
    void unmarkStored(int page) {
        PTE.setOpaque(pte, page, (byte) ((byte) PTE.getOpaque(pte, page) & ~STORED));
    }

    /** {@code pfn_mkclean_range} for file pages {@code [from, to)}: the next store into them faults. */
    void writeProtect(long from, long to) {
        long lo = Math.max(from, pgoff);
        long hi = Math.min(to, pgoffEnd());
        for (long p = lo; p < hi; p++) {
            PTE.setOpaque(pte, (int) (p - pgoff), (byte) 0);
        }
        if (lines != null) {
            for (long p = lo; p < hi; p++) {
                LINES.setOpaque(lines, (int) (p - pgoff), 0L);
            }
        }
    }

    /** MAP_SYNC: whether every cache line that bytes {@code [offset, offset + length)} touch was stored already. */
    boolean linesStored(long offset, long length) {
        long end = offset + length;
        for (long pageStart = offset & -Pages.PAGE_SIZE; pageStart < end; pageStart += Pages.PAGE_SIZE) {
            long mask = StoredPages.lines(Math.max(offset, pageStart) - pageStart,
                    Math.min(end, pageStart + Pages.PAGE_SIZE) - pageStart);
            int page = (int) (pageStart >>> Pages.PAGE_SHIFT);
            if (((long) LINES.getOpaque(lines, page) & mask) != mask || !isWritable(page)) {
                return false;
            }
        }
        return true;
    }

    void markLines(int page, long mask) {
        LINES.setOpaque(lines, page, (long) LINES.getOpaque(lines, page) | mask);
    }

    void unmarkLines(int page, long mask) {
        LINES.setOpaque(lines, page, (long) LINES.getOpaque(lines, page) & ~mask);
    }

    /**
     * Counts stored bytes in a per-thread stripe. The count is racy by design (a lost update under a
     * stripe collision costs a few bytes of accuracy, a lock would cost the fast path).
     */
    void countStore(long length) {
        long[] counts = stored;
        if (counts == null) {
            counts = storedCounts();
        }
        int stripe = ((int) Thread.currentThread().getId() & (STRIPES - 1)) * STRIPE_PAD;
        counts[stripe] += length;
    }

    private synchronized long[] storedCounts() {
        if (stored == null) {
            stored = new long[STRIPES * STRIPE_PAD];
        }
        return stored;
    }

    long bytesStored() {
        long[] counts = stored;
        long sum = 0;
        for (int i = 0; counts != null && i < STRIPES; i++) {
            sum += counts[i * STRIPE_PAD];
        }
        return sum;
    }
}
