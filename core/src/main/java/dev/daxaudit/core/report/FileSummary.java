package dev.daxaudit.core.report;

import java.util.List;

/**
 * What happened to one mapped file: its mappings, write faults (clean-to-dirty transitions), syncs by kind,
 * bytes stored through mappings against bytes written back, and how long synced data had waited to be synced.
 * {@code bytesStored} is -1 unless the {@code storedBytes=true} option counted it.
 */
public record FileSummary(String file, long device, long inode, long size, List<MappingSummary> mappings,
                          long faults, long msyncs, long cacheFlushes, long fsyncs, long bytesStored,
                          long bytesFlushed, long unsyncedPages, long syncedEntries, Distribution syncLag,
                          Distribution writebackLatency, PageMap pageMap, long channelCloses,
                          long closesWithUnsyncedPages, long concurrentFirstTouches) {
}
