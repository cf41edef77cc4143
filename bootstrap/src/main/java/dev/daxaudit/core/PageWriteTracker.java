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

    /** Receives written runs {@code [start, end)} of addresses, page-aligned. */
    interface Runs {
        void written(long start, long end);
    }
}
