package dev.daxaudit.core;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Stores as the kernel reports them ({@code tracking=kernel}): every audited mapping is handed to the
 * {@link PageWriteTracker} when it is made, and the pages written through it are collected into the data truth
 * before anything reads or changes that truth (a force, an fsync, a truncate, a close, an unmap, a report). A
 * collected page is a store made just before the event, by code the kernel cannot name: the mapping's site stands
 * in for it.
 *
 * <p>Collecting and unmapping hold this object's monitor, so an unmap never lets a collect scan an address range
 * that a new mapping has taken over.
 */
final class KernelWrites {
    private final PageWriteTracker tracker;
    private final InternalErrors errors;
    private final LongSupplier clock;

    KernelWrites(PageWriteTracker tracker, InternalErrors errors, LongSupplier clock) {
        this.tracker = tracker;
        this.errors = errors;
        this.clock = clock;
    }

    /** A mapping was made: from now on the kernel notes its first store to each page. */
    void track(Vma vma) {
        try {
            tracker.track(vma.start, vma.size);
            vma.kernelTracked = true;
        } catch (Throwable t) {
            errors.record("track", t); // stores into this mapping stay unseen: the report counts the error
        }
    }

    /** Records the pages written through {@code vmas} since the last collect as stores made now. */
    synchronized void collect(List<Vma> vmas) {
        for (Vma vma : vmas) {
            if (vma.live && vma.kernelTracked) {
                try {
                    tracker.collect(vma.start, vma.size, new Into(vma, Event.seenByKernel(vma, clock.getAsLong())));
                } catch (Throwable t) {
                    errors.record("collect", t);
                }
            }
        }
    }

    /** A named class, not a lambda: this may run inside a java.base hook, where linking a lambda is not safe. */
    private static final class Into implements PageWriteTracker.Runs {
        private final Vma vma;
        private final Event store;

        Into(Vma vma, Event store) {
            this.vma = vma;
            this.store = store;
        }

        @Override
        public void written(long start, long end) {
            long from = Math.max(start, vma.start);
            long to = Math.min(end, vma.end());
            if (from < to) {
                vma.mapping.store(vma, from - vma.start, to - from, store);
            }
        }
    }
}
