package dev.daxaudit.core.report;

import java.util.List;

/**
 * One finding about one file: the unsynced pages as coalesced byte ranges, the sites that first dirtied them
 * (with counts) and the threads those sites ran on. {@code cause} is null for {@link FindingKind#UNSYNCED_AT_EXIT}.
 */
public record Finding(FindingKind kind, String file, long pages, List<PageRange> ranges, List<SiteCount> sites,
                      List<String> threads, Cause cause) {
}
