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
    /** Pages that were unsynced once and made durable since: for the page map. */
    final PageRuns syncedPages;

    FileLedger() {
        this(null, null, new PageRuns());
    }

    private FileLedger(Latencies syncLag, Latencies writeback, PageRuns synced) {
        this.syncLagMicros = syncLag;
        this.writebackMicros = writeback;
        this.syncedPages = synced;
    }

    void pageSynced(StoredPage p, long now) {
        pagesSynced++;
        if (syncLagMicros == null) {
            syncLagMicros = new Latencies();
        }
        syncLagMicros.record(Math.max(0, now - p.first.nanos) / 1_000);
        syncedPages.add(p.pgoff, p.pgoff + 1);
    }

    void writeback(Writeback.Kind kind, long nanos) {
        switch (kind) {
            case MSYNC: msyncs++; break;
            case CACHE_FLUSH: cacheFlushes++; break;
            default: fsyncs++; break;
        }
        if (writebackMicros == null) {
            writebackMicros = new Latencies();
        }
        writebackMicros.record(Math.max(0, nanos) / 1_000);
    }

    FileLedger copy() {
        FileLedger c = new FileLedger(syncLagMicros == null ? null : syncLagMicros.copy(),
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
        return c;
    }
}
