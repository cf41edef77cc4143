package dev.daxaudit.core;

/**
 * The kernel tracking written pages for the engine, in place of store hooks: userfaultfd write-protect in async
 * mode over each shared writable mapping, and the {@code PAGEMAP_SCAN} ioctl to read and re-protect the pages
 * written since. The next store to a re-protected page faults again, as after a DAX writeback
 * ({@code dax_writeback_one} write-protecting the entry with {@code pfn_mkclean_range}). The agent supplies the
 * implementation where the kernel and the JDK allow it.
 */
public interface PageWriteTracker {
    /** Write-protects the page-aligned range, so the kernel notes the first store to each page. */
    void track(long address, long length) throws Throwable;

    /** Reports the runs of pages written in the range since it was last protected, and protects them again. */
    void collect(long address, long length, Runs written) throws Throwable;

    /**
     * Starts sampling the page faults of the calling thread and the threads it creates from then on, so that
     * {@link #fault} can say which code made a page written; null when sampling runs, else why not, in a few words.
     */
    default String sampleFaults() {
        return "this tracker samples no faults";
    }

    /**
     * The fault last sampled in the page at page-aligned {@code address} before it was last reported written, or
     * null when none was sampled; valid while {@link Runs#written} reports the page.
     */
    default StoreFault fault(long address) {
        return null;
    }

    /** Receives written runs {@code [start, end)} of addresses, page-aligned. */
    interface Runs {
        void written(long start, long end);
    }
}
