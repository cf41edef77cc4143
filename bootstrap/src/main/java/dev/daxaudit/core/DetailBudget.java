package dev.daxaudit.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code memory=} budget: how much the agent may keep about files beyond what their verdicts need. A file's
 * unsynced pages, their sites and its hazards are kept whatever the budget, because findings come from them; its
 * detail (the history of its mappings, its own latency distributions, the page map of what was synced) is kept
 * while the budget lasts. A file seen after that, or whose latencies outgrow their first few values after that, is
 * summarised: its counters stay exact, its latencies go into one distribution shared by all summarised files (the
 * report's totals still count them), and the report says how many files were summarised and why. Without it,
 * detail grows with what is mapped (20,000 mapped files once took 661 MB of histograms) instead of with what is
 * stored.
 */
final class DetailBudget {
    /**
     * A file's detail at first sight: a mapping history of one group (about 260 bytes), the first latencies and the
     * runs of the page map, as a class histogram of 20,000 mapped, stored and forced files shows them.
     */
    static final long FILE_BYTES = 512;
    /** What a file's latency histogram takes, once it has more than a few values ({@link Latencies}). */
    static final long HISTOGRAM_BYTES = Latencies.histogramFootprint();
    /** The default budget, as a fraction of the heap: small enough that the application keeps the rest. */
    private static final int HEAP_FRACTION = 32;

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final LongAdder summarisedFiles = new LongAdder();
    /** The latencies of every summarised file, in microseconds; guarded by this. */
    private final Latencies syncLag = new Latencies();
    private final Latencies writeback = new Latencies();

    DetailBudget(long limitBytes) {
        this.limit = limitBytes;
    }

    /** The budget of {@code options}: the {@code memory=} option, else a thirty-second of the maximum heap. */
    static DetailBudget of(AgentOptions options) {
        long mib = options.memoryMiB();
        return new DetailBudget(mib > 0 ? mib << 20 : Runtime.getRuntime().maxMemory() / HEAP_FRACTION);
    }

    long limitBytes() {
        return limit;
    }

    /** Takes {@code bytes} from the budget if they fit; false (and nothing taken) once they do not. */
    boolean admit(long bytes) {
        long before;
        do {
            before = used.get();
            if (before + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(before, before + bytes));
        return true;
    }

    /** One more file summarised, its latencies so far (either may be null) moved into the shared ones. */
    synchronized void summarised(Latencies fileSyncLag, Latencies fileWriteback) {
        summarisedFiles.increment();
        if (fileSyncLag != null) {
            fileSyncLag.moveTo(syncLag);
        }
        if (fileWriteback != null) {
            fileWriteback.moveTo(writeback);
        }
    }

    synchronized void syncLag(long micros) {
        syncLag.record(micros);
    }

    synchronized void writeback(long micros) {
        writeback.record(micros);
    }

    /** Adds the summarised files' latencies to the report's totals. */
    synchronized void addTo(org.HdrHistogram.AbstractHistogram allSyncLag,
                            org.HdrHistogram.AbstractHistogram allWriteback) {
        syncLag.addTo(allSyncLag);
        writeback.addTo(allWriteback);
    }

    long summarisedFiles() {
        return summarisedFiles.sum();
    }
}
