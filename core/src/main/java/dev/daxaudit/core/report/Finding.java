package dev.daxaudit.core.report;

import java.util.List;

/**
 * One finding about one file: the unsynced pages as coalesced byte ranges, the sites that first dirtied them
 * (with counts) and the threads those sites ran on. {@code cause} is null for {@link FindingKind#UNSYNCED_AT_EXIT}.
 * {@code newBlockPages} of the pages had their block allocated by the dirtying fault and the allocation is not yet
 * durable either; {@code syncFaultPages} were allocated by a MAP_SYNC fault, which made the allocation durable.
 */
public record Finding(FindingKind kind, String file, long pages, List<PageRange> ranges, List<SiteCount> sites,
                      List<String> threads, Cause cause, long newBlockPages, long syncFaultPages) {
}
