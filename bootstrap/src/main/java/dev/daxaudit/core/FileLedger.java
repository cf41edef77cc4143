package dev.daxaudit.core;

/**
 * What happened to one file, counted: the kernel model's measures (write faults by entry size, bytes flushed) next
 * to the data truth's (pages dirtied, pages made durable, how long they waited). Guarded by the owning
 * {@link AddressSpace}; {@link #copy()} freezes it for a report.
 */
final class FileLedger {
    /** Write faults the kernel would take: PTE and PMD faults, and MAP_SYNC faults among them. */
    long faults;
    long pmdFaults;
    long syncFaults;
    /** Pages that went from clean to unsynced (first store since their last covering writeback). */
    long pagesDirtied;
    long msyncs;
    long cacheFlushes;
    long fsyncs;
    /** Bytes the kernel would flush: whole entries for msync/fsync, whole cache lines for a MAP_SYNC flush. */
    long bytesFlushed;
    /** Pages made durable by the program's own force or fsync. */
    long pagesSynced;
    /** Unsynced pages that a truncate discarded (with the rest of the file beyond the new end). */
    long pagesDiscarded;
    long channelCloses;
    long closesWithUnsyncedPages;
    long concurrentFirstTouches;
    /*
     * The two distributions are made at their first value, not with the ledger, and stay a few numbers until there
     * are many (Latencies): most files of an application with thousands of mappings are synced a few times or never
     * (20,000 mappings took 661 MB of default histograms). Null: no value yet.
     */
    /** First store into a page to the end of the writeback that made it durable, in microseconds, or null. */
    Latencies syncLagMicros;
    /** Duration of each force or fsync of this file, in microseconds, or null. */
    Latencies writebackMicros;
    /** Pages that were unsynced once and made durable since: for the page map; empty once summarised. */
    final PageRuns syncedPages;
    /**
     * Past the {@link DetailBudget}: the counters above stay exact, the latencies go to the budget's shared ones and
     * the page map and the file's own distributions are no longer kept.
     */
    boolean summarised;
    private final DetailBudget budget;

    /** {@code detailed}: whether the budget took this file's detail at its first sight. */
    FileLedger(DetailBudget budget, boolean detailed) {
        this(budget, null, null, new PageRuns());
        if (!detailed) {
            summarise();
        }
    }

    private FileLedger(DetailBudget budget, Latencies syncLag, Latencies writeback, PageRuns synced) {
        this.budget = budget;
        this.syncLagMicros = syncLag;
        this.writebackMicros = writeback;
        this.syncedPages = synced;
    }

    void pageSynced(StoredPage p, long now) {
        pagesSynced++;
        long lag = Math.max(0, now - p.first.nanos) / 1_000;
        syncLagMicros = kept(syncLagMicros);
        if (summarised) {
            budget.syncLag(lag);
            return;
        }
        syncLagMicros.record(lag);
        syncedPages.add(p.pgoff, p.pgoff + 1);
    }

    /**
     * {@code latencies}, made at their first value, or null after summarising this file because the budget has no
     * room for the histogram they would grow into.
     */
    private Latencies kept(Latencies latencies) {
        if (summarised) {
            return null;
        }
        if (latencies == null) {
            return new Latencies(); // its first few values are part of DetailBudget.FILE_BYTES
        }
        if (latencies.full() && !budget.admit(DetailBudget.HISTOGRAM_BYTES)) {
            summarise();
            return null;
        }
        return latencies;
    }

    private void summarise() {
        summarised = true;
        budget.summarised(syncLagMicros, writebackMicros);
        syncLagMicros = null;
        writebackMicros = null;
        syncedPages.clear();
    }

    void writeback(Writeback.Kind kind, long nanos) {
        switch (kind) {
            case MSYNC: msyncs++; break;
            case CACHE_FLUSH: cacheFlushes++; break;
            default: fsyncs++; break;
        }
        long micros = Math.max(0, nanos) / 1_000;
        writebackMicros = kept(writebackMicros);
        if (summarised) {
            budget.writeback(micros);
            return;
        }
        writebackMicros.record(micros);
    }

    FileLedger copy() {
        FileLedger c = new FileLedger(budget, syncLagMicros == null ? null : syncLagMicros.copy(),
                writebackMicros == null ? null : writebackMicros.copy(), syncedPages.copy());
        c.faults = faults;
        c.pmdFaults = pmdFaults;
        c.syncFaults = syncFaults;
        c.pagesDirtied = pagesDirtied;
        c.msyncs = msyncs;
        c.cacheFlushes = cacheFlushes;
        c.fsyncs = fsyncs;
        c.bytesFlushed = bytesFlushed;
        c.pagesSynced = pagesSynced;
        c.pagesDiscarded = pagesDiscarded;
        c.channelCloses = channelCloses;
        c.closesWithUnsyncedPages = closesWithUnsyncedPages;
        c.concurrentFirstTouches = concurrentFirstTouches;
        c.summarised = summarised;
        return c;
    }
}
