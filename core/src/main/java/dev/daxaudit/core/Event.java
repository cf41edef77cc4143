package dev.daxaudit.core;

/**
 * Something a thread did to a file, where and when: a store that dirtied a page, a force, an unmap, a close, a
 * truncate. Immutable; the report turns it into an {@link dev.daxaudit.core.report.Actor}.
 */
final class Event {
    final String operation;
    final Site site;
    final String thread;
    final long nanos;

    Event(String operation, Site site, String thread, long nanos) {
        this.operation = operation;
        this.site = site;
        this.thread = thread;
        this.nanos = nanos;
    }

    /** The event happening now on the current thread, at the first application frame of its stack. */
    static Event here(String operation, long nanos) {
        return new Event(operation, SiteCapture.here(), Thread.currentThread().getName(), nanos);
    }

    dev.daxaudit.core.report.Actor actor() {
        return new dev.daxaudit.core.report.Actor(operation, thread, site);
    }
}
