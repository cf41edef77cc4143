package dev.daxaudit.core;

/**
 * Page geometry of x86-64 Linux as fs/dax.c sees it: 4 KiB PTE entries and 2 MiB PMD entries of 512 pages.
 * Offsets in a file are counted in pages ("pgoff"), as in the kernel's page-cache index.
 */
public final class Pages {
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final int PMD_ORDER = 9;
    public static final long PTES_PER_PMD = 1L << PMD_ORDER;
    public static final long PMD_SIZE = PAGE_SIZE << PMD_ORDER;

    private Pages() {
    }

    /** First page that holds byte {@code offset}. */
    public static long pageOf(long offset) {
        return offset >>> PAGE_SHIFT;
    }

    /** Number of pages needed to hold {@code bytes} bytes from a page boundary. */
    public static long pagesFor(long bytes) {
        return (bytes + PAGE_SIZE - 1) >>> PAGE_SHIFT;
    }

    /** Index of the PMD-aligned entry that would cover page {@code pgoff}. */
    public static long pmdIndex(long pgoff) {
        return pgoff & ~(PTES_PER_PMD - 1);
    }
}
