package dev.daxaudit.core;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Stores as the kernel reports them ({@code tracking=kernel}): every audited mapping is handed to the
 * {@link PageWriteTracker} when it is made, and the pages written through it are collected into the data truth
 * before anything reads or changes that truth (a force, an fsync, a truncate, a close, an unmap, a report). A
 * collected page is a store made before the event. Where the kernel sampled the page's write fault
 * ({@link PageWriteTracker#sampleFaults}), the store is the sample's: its thread and time, and the compiled method
 * that faulted; otherwise the mapping's site stands in for the code.
 *
 * <p>Collecting and unmapping hold this object's monitor, so an unmap never lets a collect scan an address range
 * that a new mapping has taken over.
 */
final class KernelWrites {
    private final PageWriteTracker tracker;
    private final InternalErrors errors;
    private final LongSupplier clock;
    /** Null while no fault is sampled. */
    private volatile FaultSymbols symbols;

    KernelWrites(PageWriteTracker tracker, InternalErrors errors, LongSupplier clock) {
        this.tracker = tracker;
        this.errors = errors;
        this.clock = clock;
    }

    /** Samples the write faults of the calling thread and its new threads; null, or why sites stay unknown. */
    String sampleFaults(FaultSymbols symbols) {
        String refused = tracker.sampleFaults();
        if (refused == null) {
            this.symbols = symbols;
        }
        return refused;
    }

    /** Whether stores are named from sampled write faults. */
    boolean sampling() {
        return symbols != null;
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
                    tracker.collect(vma.start, vma.size, new Into(vma, Event.seenByKernel(vma, clock.getAsLong()),
                            symbols));
                } catch (Throwable t) {
                    errors.record("collect", t);
                }
            }
        }
    }

    /** A named class, not a lambda: this may run inside a java.base hook, where linking a lambda is not safe. */
    private final class Into implements PageWriteTracker.Runs {
        private final Vma vma;
        private final Event unsampled;
        private final FaultSymbols symbols;
        /** Per instruction and thread, the event of this collect, so that a loop's pages share one. */
        private java.util.HashMap<StoreFault, Event> sampled;

        Into(Vma vma, Event unsampled, FaultSymbols symbols) {
            this.vma = vma;
            this.unsampled = unsampled;
            this.symbols = symbols;
        }

        @Override
        public void written(long start, long end) {
            long from = Math.max(start, vma.start);
            long to = Math.min(end, vma.end());
            if (symbols == null) {
                if (from < to) {
                    vma.mapping.store(vma, from - vma.start, to - from, unsampled);
                }
                return;
            }
            // Runs of pages whose stores are the same event, each stored as one.
            long runStart = from;
            Event runEvent = null;
            for (long page = from; page < to; page += 4096) {
                Event event = eventOf(tracker.fault(page));
                if (event != runEvent && page > runStart) {
                    vma.mapping.store(vma, runStart - vma.start, page - runStart, runEvent);
                    runStart = page;
                }
                runEvent = event;
            }
            if (runStart < to) {
                vma.mapping.store(vma, runStart - vma.start, to - runStart, runEvent);
            }
        }

        private Event eventOf(StoreFault fault) {
            if (fault == null) {
                return unsampled;
            }
            if (sampled == null) {
                sampled = new java.util.HashMap<>();
            }
            StoreFault key = new StoreFault(fault.ip(), fault.tid(), fault.thread(), 0);
            Event event = sampled.get(key);
            if (event == null) {
                try {
                    event = Event.sampledByKernel(vma, symbols.method(fault.ip(), fault.nanos()),
                            fault.thread() != null ? fault.thread() : symbols.thread(fault.tid()), fault.nanos());
                } catch (Throwable t) {
                    errors.record("fault-site", t);
                    event = unsampled;
                }
                sampled.put(key, event);
            }
            return event;
        }
    }
}
