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
    /** How exactly {@link #site} is the store's: {@code LINE} for everything the hooks saw, weaker for the kernel's. */
    final SitePrecision precision;

    Event(String operation, Site site, String thread, long nanos) {
        this(operation, site, thread, nanos, SitePrecision.LINE);
    }

    private Event(String operation, Site site, String thread, long nanos, SitePrecision precision) {
        this.operation = operation;
        this.site = site;
        this.thread = thread;
        this.nanos = nanos;
        this.precision = precision;
    }

    /**
     * Stores into {@code vma} that the kernel tracker found when it scanned at {@code nanos}, with no fault sample
     * naming their code or thread: the event names the site that made the mapping.
     */
    static Event seenByKernel(Vma vma, long nanos) {
        return new Event("store", vma.mapped.site, KERNEL_THREAD, nanos, SitePrecision.UNKNOWN);
    }

    /**
     * A store the kernel tracker found whose write fault was sampled on {@code thread} at {@code nanos}: in
     * compiled {@code method}, or, where no compiled method held the instruction ({@code method} null), in code
     * the sample cannot name, for which the mapping's site stands in.
     */
    static Event sampledByKernel(Vma vma, Site method, String thread, long nanos) {
        return method != null ? new Event("store", method, thread, nanos, SitePrecision.METHOD)
                : new Event("store", vma.mapped.site, thread, nanos, SitePrecision.UNKNOWN);
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
