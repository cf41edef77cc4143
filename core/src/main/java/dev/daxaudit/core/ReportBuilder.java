package dev.daxaudit.core;

import dev.daxaudit.core.report.Actor;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Cause;
import dev.daxaudit.core.report.Distribution;
import dev.daxaudit.core.report.PageMap;
import org.HdrHistogram.Histogram;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.Hazard;
import dev.daxaudit.core.report.HazardKind;
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

    AuditReport build(String reason, List<AddressSpace.Snapshot> snapshots, List<String> hooks, boolean ffm,
                      long[] preexisting) {
        List<Finding> findings = new ArrayList<>();
        List<Hazard> hazards = new ArrayList<>();
        List<FileSummary> files = new ArrayList<>();
        Histogram allSyncLag = new Histogram(3);
        Histogram allWriteback = new Histogram(3);
        snapshots.sort(Comparator.comparing(s -> s.space.path()));
        for (AddressSpace.Snapshot s : snapshots) {
            String file = s.space.path();
            int firstFinding = findings.size();
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
            hazards.addAll(hazards(s, findings, firstFinding));
            allSyncLag.add(s.syncLagMicros);
            allWriteback.add(s.writebackMicros);
            files.add(summary(s, options.countStoredBytes()));
        }
        return new AuditReport(AuditReport.SCHEMA_VERSION, toolVersion(), reason,
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                options.given(), options.pmdEntries() ? "auto" : "pte", options.zeroingInFs() ? "fs" : "dax-generic",
                findings, hazards, distribution(allSyncLag), distribution(allWriteback), files, errors.count(),
                errors.samples(), hooks, ffm, preexisting == null ? null : new AuditReport.LateAttach(preexisting[0],
                        preexisting[1]), AuditReport.BLIND_SPOTS);
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
        long newBlockPages = 0;
        long syncFaultPages = 0;
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
            if (e.newBlock) {
                if (e.metadataDurable) {
                    syncFaultPages += e.pages;
                } else {
                    newBlockPages += e.pages;
                }
            }
            sites.merge(e.site, 1L, Long::sum);
            threads.add(e.thread);
        }
        ranges.add(range(rangeStart, rangeEnd, end - oldest));
        List<SiteCount> siteCounts = new ArrayList<>();
        for (Map.Entry<Site, Long> s : sites.entrySet()) {
            siteCounts.add(new SiteCount(s.getKey(), s.getValue()));
        }
        siteCounts.sort(Comparator.comparingLong(SiteCount::count).reversed().thenComparing(SiteCount::site));
        return new Finding(kind, file, pages, ranges, siteCounts, new ArrayList<>(threads), cause, newBlockPages,
                syncFaultPages);
    }

    /**
     * The file's hazards: those recorded as they happened (H1 to H4), plus H5 for every unsynced finding left by
     * an unmap or present at a channel close, and H6 for unsynced pages in fault-allocated blocks. H1, H3, H5 and
     * H6 point at the finding that holds their data instead of repeating it.
     */
    private static List<Hazard> hazards(AddressSpace.Snapshot s, List<Finding> findings, int firstFinding) {
        String file = s.space.path();
        List<Hazard> out = new ArrayList<>();
        for (AddressSpace.HazardEvent h : s.hazards) {
            int finding = -1;
            if (h.kind == HazardKind.TRUNCATE_UNDER_MAPPING) {
                finding = findingOf(findings, firstFinding, FindingKind.LOST_AT_TRUNCATE, h.start);
            } else if (h.kind == HazardKind.STORE_RACING_FORCE) {
                finding = findingOf(findings, firstFinding, null, h.start);
            }
            out.add(new Hazard(h.kind, file, h.start << Pages.PAGE_SHIFT, h.end << Pages.PAGE_SHIFT, h.first,
                    h.second, finding));
        }
        for (int i = firstFinding; i < findings.size(); i++) {
            Finding f = findings.get(i);
            if (f.kind() == FindingKind.LOST_AT_UNMAP) {
                out.add(new Hazard(HazardKind.UNSYNCED_AT_UNMAP_OR_CLOSE, file, f.ranges().get(0).start(),
                        f.ranges().get(f.ranges().size() - 1).end(), storeActor(f),
                        new Actor("unmap", f.cause().thread(), f.cause().site()), i));
            }
        }
        for (AddressSpace.HazardEvent close : s.closes) {
            int finding = findingOf(findings, firstFinding, null, close.start);
            if (finding >= 0 && findings.get(finding).kind() != FindingKind.LOST_AT_TRUNCATE) {
                Finding f = findings.get(finding);
                out.add(new Hazard(HazardKind.UNSYNCED_AT_UNMAP_OR_CLOSE, file, f.ranges().get(0).start(),
                        f.ranges().get(f.ranges().size() - 1).end(), storeActor(f), close.first, finding));
            }
        }
        for (int i = firstFinding; i < findings.size(); i++) {
            Finding f = findings.get(i);
            if (f.newBlockPages() > 0 && f.kind() != FindingKind.LOST_AT_TRUNCATE) {
                out.add(new Hazard(HazardKind.METADATA_NOT_DURABLE, file, f.ranges().get(0).start(),
                        f.ranges().get(f.ranges().size() - 1).end(), storeActor(f), mapActor(s, f), i));
            }
        }
        return out;
    }

    /** The finding of this file (of {@code kind}, or any kind) whose ranges hold page {@code pgoff}, or -1. */
    private static int findingOf(List<Finding> findings, int from, FindingKind kind, long pgoff) {
        long offset = pgoff << Pages.PAGE_SHIFT;
        for (int i = from; i < findings.size(); i++) {
            if (kind == null || findings.get(i).kind() == kind) {
                for (PageRange r : findings.get(i).ranges()) {
                    if (r.start() <= offset && offset < r.end()) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    private static Actor storeActor(Finding f) {
        return new Actor("store", f.threads().get(0), f.sites().get(0).site());
    }

    /** The mapping through which the finding's first page was mapped, as the other side of H6. */
    private static Actor mapActor(AddressSpace.Snapshot s, Finding f) {
        long pgoff = f.ranges().get(0).start() >>> Pages.PAGE_SHIFT;
        for (AddressSpace.MappingKey k : s.mappings.keySet()) {
            if (k.pgoff <= pgoff && pgoff < k.pgoffEnd) {
                return new Actor("map (" + k.mode + ")", k.thread, k.site);
            }
        }
        return null;
    }

    private static PageRange range(long startPage, long endPage, long unsyncedNanos) {
        return new PageRange(startPage << Pages.PAGE_SHIFT, endPage << Pages.PAGE_SHIFT,
                millis(Math.max(0, unsyncedNanos)));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static final double[] PERCENTILES = {0, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100};

    private static Distribution distribution(Histogram micros) {
        List<Distribution.Point> points = new ArrayList<>();
        if (micros.getTotalCount() > 0) {
            for (double p : PERCENTILES) {
                points.add(new Distribution.Point(p, micros.getValueAtPercentile(p) / 1_000.0));
            }
        }
        return new Distribution(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1_000.0,
                micros.getValueAtPercentile(90) / 1_000.0, micros.getValueAtPercentile(99) / 1_000.0,
                micros.getMaxValue() / 1_000.0, points);
    }

    /** U, S or C per cell of pages: unsynced wins over synced, synced over clean. */
    private static PageMap pageMap(AddressSpace.Snapshot s) {
        long pages = Pages.pagesFor(s.isize);
        for (AddressSpace.MappingKey k : s.mappings.keySet()) {
            pages = Math.max(pages, k.pgoffEnd);
        }
        if (pages == 0) {
            return new PageMap(0, 1, "");
        }
        long perCell = (pages + PageMap.MAX_CELLS - 1) / PageMap.MAX_CELLS;
        char[] cells = new char[(int) ((pages + perCell - 1) / perCell)];
        java.util.Arrays.fill(cells, 'C');
        for (Map.Entry<Long, Long> run : s.syncedPages.entrySet()) {
            mark(cells, perCell, run.getKey(), run.getValue(), 'S');
        }
        List<List<DaxEntry>> unsynced = new ArrayList<>(List.of(s.unsynced, s.lostAtUnmap));
        for (AddressSpace.Lost lost : s.lost) {
            unsynced.add(lost.entries);
        }
        for (List<DaxEntry> list : unsynced) {
            for (DaxEntry e : list) {
                mark(cells, perCell, e.index, e.end(), 'U');
            }
        }
        return new PageMap(pages, perCell, new String(cells));
    }

    private static void mark(char[] cells, long perCell, long from, long to, char state) {
        for (long cell = from / perCell; cell <= (to - 1) / perCell && cell < cells.length; cell++) {
            if (state == 'U' || cells[(int) cell] == 'C') {
                cells[(int) cell] = state;
            }
        }
    }

    private static FileSummary summary(AddressSpace.Snapshot s, boolean bytesCounted) {
        List<MappingSummary> mappings = new ArrayList<>();
        for (Map.Entry<AddressSpace.MappingKey, long[]> m : s.mappings.entrySet()) {
            AddressSpace.MappingKey k = m.getKey();
            mappings.add(new MappingSummary(k.pgoff << Pages.PAGE_SHIFT, k.pgoffEnd << Pages.PAGE_SHIFT,
                    k.mode.name(), k.site, k.thread, m.getValue()[0], m.getValue()[1]));
        }
        long unsynced = 0;
        for (DaxEntry e : s.unsynced) {
            unsynced += e.pages;
        }
        for (DaxEntry e : s.lostAtUnmap) {
            unsynced += e.pages;
        }
        return new FileSummary(s.space.path(), s.space.id.device(), s.space.id.inode(), s.isize, mappings,
                s.faults, s.msyncs, s.cacheFlushes, s.fsyncs, bytesCounted ? s.bytesStored : -1, s.bytesFlushed, unsynced,
                s.syncedEntries, distribution(s.syncLagMicros), distribution(s.writebackMicros), pageMap(s),
                s.channelCloses, s.closesWithUnsyncedPages,
                s.concurrentFirstTouches);
    }
}
