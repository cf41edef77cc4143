package dev.daxaudit.core.report;

import java.util.List;

/**
 * One finding about one file: its unsynced pages (4 KiB, exactly those the program stored into) as coalesced byte
 * ranges, the sites that first stored into them (with page counts) and the threads those sites ran on, and the
 * context that explains it: whether every mapping of those pages was gone ({@code unmapped}), a channel closed while
 * they were unsynced, a store that raced a force, and blocks whose allocation is not durable either.
 * {@code storeSitePrecision} is the weakest precision of its pages' sites ({@link SitePrecision}): {@code line}
 * when the store hooks saw every store, weaker where the kernel tracker saw some.
 */
public record Finding(FindingKind kind, String file, long pages, List<PageRange> ranges, List<SiteCount> sites,
                      List<String> threads, Unmapped unmapped, Actor closed, Race race, long newBlockPages,
                      long syncFaultPages, SitePrecision storeSitePrecision, String explanation) {
    /** {@code pages} of the finding had no live mapping at the end; the last unmap of them. */
    public record Unmapped(long pages, Actor lastUnmap) {
    }

    /** A store that landed while a force covering its page was in flight; {@code pages} stayed unsynced so. */
    public record Race(Actor force, Actor store, long pages) {
    }
}
