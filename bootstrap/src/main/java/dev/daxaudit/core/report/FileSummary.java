package dev.daxaudit.core.report;

import java.util.List;

/**
 * What happened to one mapped file. The data truth: pages dirtied (first store since last durable), pages made
 * durable, unsynced pages, how long synced data had waited. The kernel model's measures: write faults (PMD and
 * MAP_SYNC faults among them), syncs by kind, bytes the kernel would flush against bytes stored.
 * {@code bytesStored} is -1 unless the {@code storedBytes=true} option counted it. {@code detailSummarised}: past the
 * {@code memory=} budget, so no mapping history, page map or latency distribution of its own (see
 * {@link AuditReport.Detail}).
 */
public record FileSummary(String file, long device, long inode, long size, StorageSummary storage,
                          List<MappingSummary> mappings, long faults, long pmdFaults, long syncFaults,
                          long pagesDirtied, long msyncs, long cacheFlushes, long fsyncs, long bytesStored,
                          long bytesFlushed, long unsyncedPages, long pagesSynced, long pagesDiscardedByTruncate,
                          Distribution syncLag, Distribution writebackLatency, PageMap pageMap, long channelCloses,
                          long closesWithUnsyncedPages, long concurrentFirstTouches, boolean detailSummarised) {
}
