package dev.daxaudit.core;

import dev.daxaudit.core.report.Site;
import dev.daxaudit.core.report.SitePrecision;

/**
 * Something a thread did to a file, where and when: a store that dirtied a page, a force, an unmap, a close, a
 * truncate. Immutable; the report turns it into an {@link dev.daxaudit.core.report.Actor}.
 */
final class Event {
    final String operation;
    final Site site;
    final String thread;
    final long nanos;
    /** A store the kernel tracker reported: which pages, and what its fault sample says of code and thread. */
    final boolean seenByKernel;
    /** How exactly {@link #site} is the store's: {@code LINE} for everything the hooks saw. */
    final SitePrecision precision;

    Event(String operation, Site site, String thread, long nanos) {
        this(operation, site, thread, nanos, false, SitePrecision.LINE);
    }

    private Event(String operation, Site site, String thread, long nanos, boolean seenByKernel,
                  SitePrecision precision) {
        this.operation = operation;
        this.site = site;
        this.thread = thread;
        this.nanos = nanos;
        this.seenByKernel = seenByKernel;
        this.precision = precision;
    }

    /**
     * Stores into {@code vma} that the kernel tracker found when it scanned at {@code nanos}, with no fault sample
     * naming their code or thread: the event names the site that made the mapping.
     */
    static Event seenByKernel(Vma vma, long nanos) {
        return new Event("store", vma.mapped.site, KERNEL_THREAD, nanos, true, SitePrecision.UNKNOWN);
    }

    /**
     * A store the kernel tracker found whose write fault was sampled on {@code thread} at {@code nanos}: in
     * compiled {@code method}, or, where no compiled method held the instruction ({@code method} null), in code
     * the sample cannot name, for which the mapping's site stands in.
     */
    static Event sampledByKernel(Vma vma, Site method, String thread, long nanos) {
        return method != null ? new Event("store", method, thread, nanos, true, SitePrecision.METHOD)
                : new Event("store", vma.mapped.site, thread, nanos, true, SitePrecision.UNKNOWN);
    }

    /** The thread of a store the kernel tracker found with no fault sample. */
    static final String KERNEL_THREAD = "(unknown: tracking=kernel)";

    /** The event happening now on the current thread, at the first application frame of its stack. */
    static Event here(String operation, long nanos) {
        return new Event(operation, SiteCapture.here(), Thread.currentThread().getName(), nanos);
    }

    dev.daxaudit.core.report.Actor actor() {
        return new dev.daxaudit.core.report.Actor(operation, thread, site);
    }
}
