package dev.daxaudit.core;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Cause;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.MappingSummary;
import dev.daxaudit.core.report.PageRange;
import dev.daxaudit.core.report.SiteCount;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/** Turns snapshots of address spaces into an {@link AuditReport}. */
final class ReportBuilder {
    private final AgentOptions options;
    private final InternalErrors errors;
    private final long now;

    ReportBuilder(AgentOptions options, InternalErrors errors, long now) {
        this.options = options;
        this.errors = errors;
        this.now = now;
    }

    AuditReport build(String reason, List<AddressSpace.Snapshot> snapshots, List<String> hooks, boolean ffm) {
        List<Finding> findings = new ArrayList<>();
        List<FileSummary> files = new ArrayList<>();
        snapshots.sort(Comparator.comparing(s -> s.space.path()));
        for (AddressSpace.Snapshot s : snapshots) {
            String file = s.space.path();
            if (!s.unsynced.isEmpty()) {
                findings.add(finding(FindingKind.UNSYNCED_AT_EXIT, file, s.unsynced, null, now));
            }
            Map<Cause, List<DaxEntry>> byUnmap = new LinkedHashMap<>();
            Map<Cause, Long> unmapTimes = new HashMap<>();
            for (DaxEntry e : s.lostAtUnmap) {
                Cause cause = new Cause("unmap", e.unmapSite, e.unmapThread);
                byUnmap.computeIfAbsent(cause, c -> new ArrayList<>()).add(e);
                unmapTimes.merge(cause, e.unmappedAt, Math::max);
            }
            for (Map.Entry<Cause, List<DaxEntry>> g : byUnmap.entrySet()) {
                findings.add(finding(FindingKind.LOST_AT_UNMAP, file, g.getValue(), g.getKey(),
                        unmapTimes.get(g.getKey())));
            }
            for (AddressSpace.Lost lost : s.lost) {
                findings.add(finding(FindingKind.LOST_AT_TRUNCATE, file, lost.entries,
                        new Cause("truncate", lost.site, lost.thread), lost.at));
            }
            files.add(summary(s, options.countStoredBytes()));
        }
        return new AuditReport(AuditReport.SCHEMA_VERSION, toolVersion(), reason,
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                options.given(), options.pmdEntries() ? "auto" : "pte", findings, files, errors.count(),
                errors.samples(), hooks, ffm, AuditReport.BLIND_SPOTS);
    }

    private static String toolVersion() {
        try (InputStream in = ReportBuilder.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One finding over {@code entries}; unsynced time runs from each entry's first dirtying store to {@code end}. */
    private static Finding finding(FindingKind kind, String file, List<DaxEntry> entries, Cause cause, long end) {
        entries.sort(Comparator.comparingLong(e -> e.index));
        List<PageRange> ranges = new ArrayList<>();
        Map<Site, Long> sites = new HashMap<>();
        TreeSet<String> threads = new TreeSet<>();
        long pages = 0;
        long rangeStart = -1;
        long rangeEnd = -1;
        long oldest = Long.MAX_VALUE;
        for (DaxEntry e : entries) {
            if (e.index != rangeEnd && rangeStart >= 0) {
                ranges.add(range(rangeStart, rangeEnd, end - oldest));
                rangeStart = -1;
                oldest = Long.MAX_VALUE;
            }
            if (rangeStart < 0) {
                rangeStart = e.index;
            }
            rangeEnd = e.end();
            oldest = Math.min(oldest, e.dirtiedAt);
            pages += e.pages;
            sites.merge(e.site, 1L, Long::sum);
            threads.add(e.thread);
        }
        ranges.add(range(rangeStart, rangeEnd, end - oldest));
        List<SiteCount> siteCounts = new ArrayList<>();
        for (Map.Entry<Site, Long> s : sites.entrySet()) {
            siteCounts.add(new SiteCount(s.getKey(), s.getValue()));
        }
        siteCounts.sort(Comparator.comparingLong(SiteCount::count).reversed().thenComparing(SiteCount::site));
        return new Finding(kind, file, pages, ranges, siteCounts, new ArrayList<>(threads), cause);
    }

    private static PageRange range(long startPage, long endPage, long unsyncedNanos) {
        return new PageRange(startPage << Pages.PAGE_SHIFT, endPage << Pages.PAGE_SHIFT,
                millis(Math.max(0, unsyncedNanos)));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static FileSummary summary(AddressSpace.Snapshot s, boolean bytesCounted) {
        List<MappingSummary> mappings = new ArrayList<>();
        for (Map.Entry<AddressSpace.MappingKey, long[]> m : s.mappings.entrySet()) {
            AddressSpace.MappingKey k = m.getKey();
            mappings.add(new MappingSummary(k.pgoff << Pages.PAGE_SHIFT, k.pgoffEnd << Pages.PAGE_SHIFT,
                    k.mode.name(), k.site, m.getValue()[0], m.getValue()[1]));
        }
        long unsynced = 0;
        for (DaxEntry e : s.unsynced) {
            unsynced += e.pages;
        }
        for (DaxEntry e : s.lostAtUnmap) {
            unsynced += e.pages;
        }
        double meanLag = s.syncedEntries == 0 ? 0 : millis(s.totalSyncLagNanos / s.syncedEntries);
        return new FileSummary(s.space.path(), s.space.id.device(), s.space.id.inode(), s.isize, mappings,
                s.faults, s.msyncs, s.cacheFlushes, s.fsyncs, bytesCounted ? s.bytesStored : -1, s.bytesFlushed, unsynced,
                s.syncedEntries, meanLag, millis(s.maxSyncLagNanos), s.channelCloses, s.closesWithUnsyncedPages);
    }
}
