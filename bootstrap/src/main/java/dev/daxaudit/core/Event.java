package dev.daxaudit.core;

import dev.daxaudit.core.report.Site;

/**
 * Something a thread did to a file, where and when: a store that dirtied a page, a force, an unmap, a close, a
 * truncate. Immutable; the report turns it into an {@link dev.daxaudit.core.report.Actor}.
 */
final class Event {
    final String operation;
    final Site site;
    final String thread;
    final long nanos;
    /** A store the kernel tracker reported: which pages, not which code or thread ({@link #seenByKernel}). */
    final boolean seenByKernel;

    Event(String operation, Site site, String thread, long nanos) {
        this(operation, site, thread, nanos, false);
    }

    private Event(String operation, Site site, String thread, long nanos, boolean seenByKernel) {
        this.operation = operation;
        this.site = site;
        this.thread = thread;
        this.nanos = nanos;
        this.seenByKernel = seenByKernel;
    }

    /**
     * Stores into {@code vma} that the kernel tracker found when it scanned at {@code nanos}: the kernel knows the
     * pages, not the code or the thread, so the event names the site that made the mapping.
     */
    static Event seenByKernel(Vma vma, long nanos) {
        return new Event("store", vma.mapped.site, KERNEL_THREAD, nanos, true);
    }

    /** The thread of a store the kernel tracker found. */
    static final String KERNEL_THREAD = "(unknown: tracking=kernel)";

    /** The event happening now on the current thread, at the first application frame of its stack. */
    static Event here(String operation, long nanos) {
        return new Event(operation, SiteCapture.here(), Thread.currentThread().getName(), nanos);
    }

    dev.daxaudit.core.report.Actor actor() {
        return new dev.daxaudit.core.report.Actor(operation, thread, site);
    }
}
