package dev.daxaudit.core;

import dev.daxaudit.core.report.Site;
import dev.daxaudit.core.report.SitePrecision;
import dev.daxaudit.core.report.Actor;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Distribution;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.Hazard;
import dev.daxaudit.core.report.MappingSummary;
import dev.daxaudit.core.report.PageMap;
import dev.daxaudit.core.report.PageRange;
import dev.daxaudit.core.report.SiteCount;
import dev.daxaudit.core.report.StorageSummary;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * Turns file snapshots into an {@link AuditReport}. Findings come from the data truth only: one finding per file
 * with unsynced pages, its ranges exactly the pages stored, its context from what happened to those pages.
 */
final class ReportBuilder {
    private static final double[] PERCENTILES = {0, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100};

    private final AgentOptions options;
    private final InternalErrors errors;
    private final long now;

    ReportBuilder(AgentOptions options, InternalErrors errors, long now) {
        this.options = options;
        this.errors = errors;
        this.now = now;
    }

    /**
     * The report of {@code spaces}, in the report's order ({@link #inReportOrder}). One file's snapshot at a time:
     * the findings, hazards and distributions are taken in one pass, and each file's summary is made from a new
     * snapshot when the report's writer comes to it, so the report of 100,000 files never holds 100,000 snapshots
     * or summaries at once.
     */
    AuditReport build(String reason, List<AddressSpace> spaces, List<String> hooks, boolean ffm,
                      long[] preexisting, List<String> excludedFiles, String tracker, String trackerChoice,
                      boolean faultsSampled,
                      DetailBudget budget) {
        List<Finding> findings = new ArrayList<>();
        List<Hazard> hazards = new ArrayList<>();
        Histogram allSyncLag = new Histogram(3);
        Histogram allWriteback = new Histogram(3);
        List<FileSummary> files = new java.util.AbstractList<>() {
            @Override
            public FileSummary get(int index) {
                return summary(spaces.get(index).snapshot());
            }

            @Override
            public int size() {
                return spaces.size();
            }
        };
        for (AddressSpace space : spaces) {
            FileSnapshot s = space.snapshot();
            if (!s.unsynced.isEmpty()) {
                findings.add(finding(s));
            }
            for (HazardLog.Entry h : s.hazards) {
                hazards.add(new Hazard(h.kind, s.path, h.start << Pages.PAGE_SHIFT, h.end << Pages.PAGE_SHIFT,
                        actor(h.first), actor(h.second), h.count, h.discardedPages));
            }
            if (s.ledger.syncLagMicros != null) {
                s.ledger.syncLagMicros.addTo(allSyncLag);
            }
            if (s.ledger.writebackMicros != null) {
                s.ledger.writebackMicros.addTo(allWriteback);
            }
        }
        budget.addTo(allSyncLag, allWriteback);
        return new AuditReport(AuditReport.SCHEMA_VERSION, toolVersion(), reason,
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("user.dir"), options.given(),
                List.copyOf(excludedFiles.subList(0, Math.min(excludedFiles.size(), AuditReport.EXCLUDED_LISTED))),
                excludedFiles.size(), findings, hazards, distribution(allSyncLag), distribution(allWriteback), files,
                errors.count(), errors.samples(), hooks, ffm, tracker, trackerChoice, preexisting == null ? null
                : new AuditReport.LateAttach(preexisting[0], preexisting[1]),
                AuditReport.blindSpots(tracker, faultsSampled),
                new AuditReport.Detail(budget.limitBytes(), budget.summarisedFiles()));
    }

    /** {@code spaces} sorted by path, then inode, each path read once (a rename while sorting changes nothing). */
    static List<AddressSpace> inReportOrder(List<AddressSpace> spaces) {
        record Keyed(String path, long inode, AddressSpace space) {
        }
        List<Keyed> keyed = new ArrayList<>(spaces.size());
        for (AddressSpace space : spaces) {
            keyed.add(new Keyed(String.valueOf(space.path()), space.id.inode(), space));
        }
        keyed.sort(Comparator.comparing(Keyed::path).thenComparingLong(Keyed::inode));
        List<AddressSpace> out = new ArrayList<>(keyed.size());
        for (Keyed k : keyed) {
            out.add(k.space());
        }
        return out;
    }

    /** The findings of these snapshots alone, taken in the report's order ({@link #inReportOrder}). */
    List<Finding> findings(List<FileSnapshot> snapshots) {
        List<Finding> findings = new ArrayList<>();
        for (FileSnapshot s : snapshots) {
            if (!s.unsynced.isEmpty()) {
                findings.add(finding(s));
            }
        }
        return findings;
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

    /** The file's unsynced pages as one finding, with what happened to them. */
    private Finding finding(FileSnapshot s) {
        List<FileSnapshot.UnsyncedPage> pages = new ArrayList<>(s.unsynced);
        pages.sort(Comparator.comparingLong(p -> p.pgoff));
        List<PageRange> ranges = new ArrayList<>();
        Map<Site, Long> sites = new HashMap<>();
        TreeSet<String> threads = new TreeSet<>();
        long rangeStart = -1;
        long rangeEnd = -1;
        long oldest = Long.MAX_VALUE;
        long unmappedPages = 0;
        Event lastUnmap = null;
        Event closed = null;
        long racedPages = 0;
        FileSnapshot.UnsyncedPage raced = null;
        long newBlocks = 0;
        long syncFaultBlocks = 0;
        SitePrecision precision = SitePrecision.LINE;
        for (FileSnapshot.UnsyncedPage p : pages) {
            precision = precision.weakest(p.first.precision);
            if (p.pgoff != rangeEnd && rangeStart >= 0) {
                ranges.add(range(rangeStart, rangeEnd, now - oldest));
                rangeStart = -1;
                oldest = Long.MAX_VALUE;
            }
            if (rangeStart < 0) {
                rangeStart = p.pgoff;
            }
            rangeEnd = p.pgoff + 1;
            oldest = Math.min(oldest, p.first.nanos);
            sites.merge(p.first.site, 1L, Long::sum);
            threads.add(p.first.thread);
            if (p.unmappedBy != null) {
                unmappedPages++;
                if (lastUnmap == null || p.unmappedBy.nanos > lastUnmap.nanos) {
                    lastUnmap = p.unmappedBy;
                }
            }
            if (p.closedWhileUnsynced != null && (closed == null || p.closedWhileUnsynced.nanos < closed.nanos)) {
                closed = p.closedWhileUnsynced;
            }
            if (p.racedForce != null) {
                racedPages++;
                raced = raced == null ? p : raced;
            }
            newBlocks += p.allocationNotDurable ? 1 : 0;
            syncFaultBlocks += p.allocatedAtSyncFault ? 1 : 0;
        }
        ranges.add(range(rangeStart, rangeEnd, now - oldest));
        List<SiteCount> siteCounts = new ArrayList<>();
        for (Map.Entry<Site, Long> e : sites.entrySet()) {
            siteCounts.add(new SiteCount(e.getKey(), e.getValue()));
        }
        siteCounts.sort(Comparator.comparingLong(SiteCount::count).reversed().thenComparing(SiteCount::site));
        Finding.Unmapped unmapped = unmappedPages == 0 ? null : new Finding.Unmapped(unmappedPages, actor(lastUnmap));
        Finding.Race race = raced == null ? null
                : new Finding.Race(actor(raced.racedForce), actor(raced.racingStore), racedPages);
        return new Finding(FindingKind.UNSYNCED, s.path, pages.size(), ranges, siteCounts,
                new ArrayList<>(threads), unmapped, actor(closed), race, newBlocks, syncFaultBlocks, precision,
                explanation(s, pages.size(), unmapped, closed, race, newBlocks, syncFaultBlocks, precision));
    }

    /** The finding in plain words, from its context. */
    private static String explanation(FileSnapshot s, long pages, Finding.Unmapped unmapped, Event closed,
                                      Finding.Race race, long newBlocks, long syncFaultBlocks,
                                      SitePrecision precision) {
        StringBuilder sb = new StringBuilder();
        sb.append(pages).append(pages == 1 ? " page was" : " pages were")
                .append(" stored into and never made durable: no completed force or fsync covered ")
                .append(pages == 1 ? "it" : "them").append(" after the last store.");
        if (precision == SitePrecision.METHOD) {
            sb.append(" The kernel tracker (tracking=kernel) sampled the write faults: the sites named are the "
                    + "compiled methods that stored, without lines.");
        } else if (precision == SitePrecision.UNKNOWN) {
            sb.append(" The kernel tracker (tracking=kernel) saw which pages were written, not by which code for "
                    + "all of them: where no compiled method was sampled, the site named is where the mapping was made.");
        }
        if (s.storage.model() == Storage.Model.PAGE_CACHE) {
            sb.append(" The kernel may write dirty pages back on its own, but only a force or fsync guarantees it.");
        }
        if (unmapped != null) {
            sb.append(unmapped.pages() == pages ? " Every mapping through which they were stored was unmapped; the "
                    : " " + unmapped.pages() + " of them had no mapping left; the ")
                    .append("last chance to force them through a mapping passed at ").append(where(unmapped.lastUnmap()))
                    .append(". Only an fsync of the file could still have made them durable.");
        }
        if (closed != null) {
            sb.append(" A channel of the file was closed at ").append(where(actor(closed)))
                    .append(" while they were unsynced.");
        }
        if (race != null) {
            sb.append(" A store at ").append(where(race.store())).append(" landed while a force at ")
                    .append(where(race.force())).append(" covering the same page was in flight, and no later force ")
                    .append("covered it: whether that store reached the media is undefined.");
        }
        if (newBlocks > 0) {
            sb.append(' ').append(newBlocks).append(newBlocks == 1 ? " page went" : " pages went")
                    .append(" into blocks that the store's fault allocated in a file grown by map() or setLength: ")
                    .append("not even the allocation is durable, so after a crash they may read back as holes or ")
                    .append("the file may be shorter.");
        }
        if (syncFaultBlocks > 0) {
            sb.append(' ').append(syncFaultBlocks).append(syncFaultBlocks == 1 ? " page went" : " pages went")
                    .append(" into blocks allocated by a MAP_SYNC fault, which made the allocation durable; the data ")
                    .append("still needs a flush.");
        }
        return sb.toString();
    }

    private static String where(Actor a) {
        return (a.site() == null ? "(unknown)" : a.site().toString()) + " on thread " + a.thread();
    }

    private static Actor actor(Event e) {
        return e == null ? null : e.actor();
    }

    private static PageRange range(long startPage, long endPage, long unsyncedNanos) {
        return new PageRange(startPage << Pages.PAGE_SHIFT, endPage << Pages.PAGE_SHIFT,
                millis(Math.max(0, unsyncedNanos)));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** The distribution of one file's {@code latencies}; null (no value recorded) is an empty one. */
    private static Distribution distribution(Latencies latencies) {
        return latencies == null ? new Distribution(0, 0, 0, 0, 0, List.of()) : distribution(latencies.histogram());
    }

    /** The distribution of {@code micros}. */
    private static Distribution distribution(org.HdrHistogram.AbstractHistogram micros) {
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
    private static PageMap pageMap(FileSnapshot s) {
        long pages = Pages.pagesFor(s.isize);
        for (MappingHistory.Record m : s.mappings) {
            pages = Math.max(pages, m.pgoffEnd);
        }
        if (pages == 0) {
            return new PageMap(0, 1, "");
        }
        long perCell = (pages + PageMap.MAX_CELLS - 1) / PageMap.MAX_CELLS;
        char[] cells = new char[(int) ((pages + perCell - 1) / perCell)];
        Arrays.fill(cells, 'C');
        for (Map.Entry<Long, Long> run : s.ledger.syncedPages.runs()) {
            mark(cells, perCell, run.getKey(), run.getValue(), 'S');
        }
        for (FileSnapshot.UnsyncedPage p : s.unsynced) {
            mark(cells, perCell, p.pgoff, p.pgoff + 1, 'U');
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

    private FileSummary summary(FileSnapshot s) {
        List<MappingSummary> mappings = new ArrayList<>();
        for (MappingHistory.Record m : s.mappings) {
            mappings.add(new MappingSummary(m.pgoff << Pages.PAGE_SHIFT, m.pgoffEnd << Pages.PAGE_SHIFT,
                    m.mode.name(), m.mapped.site, m.mapped.thread, m.count, m.live));
        }
        boolean dax = s.storage.model() == Storage.Model.DAX;
        StorageSummary storage = new StorageSummary(s.storage.filesystem(), s.storage.mountPoint(),
                s.storage.model().label(), s.storage.audited(), s.storage.reason(), s.pmdEntries ? "pmd" : "pte",
                dax ? (s.zeroingInFs ? "fs" : "dax-generic") : null);
        FileLedger l = s.ledger;
        return new FileSummary(s.path, s.id.device(), s.id.inode(), s.isize, storage, mappings, l.faults,
                l.pmdFaults, l.syncFaults, l.pagesDirtied, l.msyncs, l.cacheFlushes, l.fsyncs,
                options.countStoredBytes() ? s.bytesStored : -1, l.bytesFlushed, s.unsynced.size(), l.pagesSynced,
                l.pagesDiscarded, distribution(l.syncLagMicros), distribution(l.writebackMicros), pageMap(s),
                l.channelCloses, l.closesWithUnsyncedPages, l.concurrentFirstTouches, l.summarised);
    }
}
