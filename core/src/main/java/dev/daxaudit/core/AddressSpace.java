package dev.daxaudit.core;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import dev.daxaudit.core.report.Actor;
import dev.daxaudit.core.report.HazardKind;
import dev.daxaudit.core.jfr.HazardRecordedEvent;
import dev.daxaudit.core.jfr.UnsyncedUnmapEvent;
import dev.daxaudit.core.jfr.WritebackEvent;
import org.HdrHistogram.Histogram;

/**
 * The page-cache side of one file ({@code struct address_space}): the dirty index shared by every mapping of the
 * file, and the list of those mappings ({@code i_mmap}). A write fault through any mapping dirties the file's
 * entry; a writeback through any mapping or descriptor cleans it and write-protects it in every mapping, so the
 * next store through any of them faults again. All state is guarded by this object's monitor, which plays the
 * part of the xarray lock.
 *
 * <p>Entry size rule. fs/dax.c installs a PMD entry only when {@code dax_iomap_pmd_fault} does not fall back to
 * PTEs; the checks it makes that are visible from user space are applied here: the mapping is shared, the virtual
 * address and the file offset have the same colour modulo 2 MiB, the whole PMD lies inside the mapping and inside
 * the file (below i_size), and no PTE entry already exists in that 2 MiB range ({@code grab_mapping_entry} falls
 * back then). The filesystem must also hand out a 2 MiB-aligned extent, which cannot be seen from here; it is
 * assumed whenever the rest holds. The {@code entries=pte} option turns PMD entries off.
 */
public final class AddressSpace {
    /** How long the {@code hold-first-touch} failpoint keeps an allocating fault open for a second toucher. */
    private static final long HOLD_FIRST_TOUCH_NANOS = 5_000_000_000L;
    /** Close and unmap events kept per file for hazards; beyond that only counts. */
    private static final int KEPT_EVENTS = 16;

    final FileId id;
    private final boolean pmdEntries;
    private final boolean zeroingInFs;
    private final boolean holdFirstTouch;
    private final LongSupplier clock;
    private final RangeLock rangeLock = new RangeLock();
    private volatile String path;

    private long isize;
    /** The block map: runs of pages {@code [start, end)} that are holes (no block allocated), by start. */
    private final TreeMap<Long, Long> holes = new TreeMap<>();
    private final List<HazardEvent> hazards = new ArrayList<>();
    private Actor lastTruncate;
    private boolean beyondEofMappings;
    private final List<HazardEvent> closes = new ArrayList<>();
    private long concurrentFirstTouches;
    /** The dirty index, keyed by entry index (page offset; PMD-aligned for PMD entries). */
    private final TreeMap<Long, DaxEntry> entries = new TreeMap<>();
    private final List<Vma> vmas = new ArrayList<>();
    private final Map<MappingKey, long[]> mappingHistory = new LinkedHashMap<>();
    private final List<Lost> lost = new ArrayList<>();

    private long faults;
    private long channelCloses;
    private long closesWithUnsyncedPages;
    private long msyncs;
    private long cacheFlushes;
    private long fsyncs;
    private long bytesFlushed;
    private long bytesStoredByUnmapped;
    private long syncedEntries;
    /** Time from an entry's first dirtying store to the end of the writeback that cleaned it, in microseconds. */
    private final Histogram syncLagMicros = new Histogram(3);
    /** Duration of each writeback (force or fsync) of this file, in microseconds. */
    private final Histogram writebackMicros = new Histogram(3);
    /** Pages that were dirty once and written back since: runs {@code [start, end)} by start. */
    private final TreeMap<Long, Long> syncedPages = new TreeMap<>();

    AddressSpace(FileId id, String path, boolean pmdEntries, boolean zeroingInFs, boolean holdFirstTouch,
                 LongSupplier clock) {
        this.id = id;
        this.path = path;
        this.pmdEntries = pmdEntries;
        this.zeroingInFs = zeroingInFs;
        this.holdFirstTouch = holdFirstTouch;
        this.clock = clock;
    }

    public String path() {
        return path;
    }

    void seenAs(String newPath) {
        if (newPath != null) {
            path = newPath;
        }
    }

    // ---- mappings -------------------------------------------------------------------------------------------

    /**
     * A mapping was made. {@code sizeBefore} is the file's size before the map call, {@code sizeAfter} after it:
     * {@code map()} grows a file it maps beyond its end, and the growth is a hole until faults allocate it. Pages
     * below the size seen at the first map are taken as allocated: a sparse file's own holes cannot be seen
     * from Java (no SEEK_HOLE).
     */
    synchronized void addVma(Vma vma, long sizeBefore, long sizeAfter) {
        if (vmas.isEmpty() && mappingHistory.isEmpty()) {
            isize = sizeBefore;
        }
        grow(sizeAfter);
        if (vma.mode.isSharedWritable()) {
            vmas.add(vma);
        }
        MappingKey key = new MappingKey(vma.pgoff, vma.pgoffEnd(), vma.mode, vma.mapSite, vma.mapThread);
        long[] counts = mappingHistory.get(key);
        if (counts == null) {
            mappingHistory.put(key, counts = new long[2]);
        }
        counts[0]++;
        counts[1]++;
    }

    /**
     * munmap: the mapping goes, its dirty entries stay in the index (the kernel keeps them, and a later fsync of
     * the file still writes them back). Entries that no live mapping covers any more remember who unmapped them.
     */
    void removeVma(Vma vma, Site site, String thread) {
        long now = clock.getAsLong();
        // zap_page_range: exclusive over the mapping's pages, so no fault through it is half done.
        RangeLock.Holder lock = rangeLock.lock(vma.pgoff, vma.pgoffEnd(), true, "unmap", null);
        try {
            removeVmaLocked(vma, site, thread, now);
        } finally {
            rangeLock.unlock(lock);
        }
    }

    private void removeVmaLocked(Vma vma, Site site, String thread, long now) {
        synchronized (this) {
            vma.live = false;
            vmas.remove(vma);
            bytesStoredByUnmapped += vma.bytesStored();
            long[] counts = mappingHistory.get(new MappingKey(vma.pgoff, vma.pgoffEnd(), vma.mode, vma.mapSite,
                    vma.mapThread));
            if (counts != null) {
                counts[1]--;
            }
            long lostPages = 0;
            for (DaxEntry e : overlapping(vma.pgoff, vma.pgoffEnd()).values()) {
                if (e.isDirty() && !coveredByLiveVma(e)) {
                    e.unmapSite = site;
                    e.unmapThread = thread;
                    e.unmappedAt = now;
                    lostPages += e.pages;
                }
            }
            UnsyncedUnmapEvent event = new UnsyncedUnmapEvent();
            if (lostPages > 0 && event.isEnabled()) {
                event.file = path;
                event.bytes = lostPages << Pages.PAGE_SHIFT;
                event.commit();
            }
        }
    }

    private boolean coveredByLiveVma(DaxEntry e) {
        for (Vma vma : vmas) {
            if (vma.pgoff < e.end() && e.index < vma.pgoffEnd()) {
                return true;
            }
        }
        return false;
    }

    // ---- the write fault ------------------------------------------------------------------------------------

    /**
     * A store found write-protected PTEs in pages {@code first..last} of {@code vma} (after it landed). This is
     * {@code dax_iomap_pte_fault}: take the range lock over the entry ({@code grab_mapping_entry} locks it),
     * allocate a block if the page is a hole ({@code get_block} returning BH_New), tag the entry DIRTY if it was
     * clean ({@code dax_insert_entry}) and make the page writable in this mapping. A thread that has to wait for
     * another thread's allocating fault on the same block has raced a first touch.
     */
    void writeFault(Vma vma, int first, int last) {
        Site site = SiteCapture.here();
        String thread = Thread.currentThread().getName();
        long now = clock.getAsLong();
        long from = vma.pgoff + first;
        long to = vma.pgoff + last + 1;
        // A PMD fault locks the whole 2 MiB entry; a PTE fault only its pages.
        long pmdFrom = Pages.pmdIndex(from);
        long pmdTo = Pages.pmdIndex(to - 1) + Pages.PTES_PER_PMD;
        if (pmdEntries && vma.pmdColoured && pmdFrom >= vma.pgoff && pmdTo <= vma.pgoffEnd()
                && pmdTo <= Pages.pagesFor(sizeNow())) {
            from = pmdFrom;
            to = pmdTo;
        }
        List<RangeLock.Holder> waitedFor = new ArrayList<>(1);
        RangeLock.Holder lock = rangeLock.lock(from, to, true, "fault", waitedFor);
        lock.site = site;
        try {
            List<DaxEntry> faulted;
            synchronized (this) {
                if (!vma.live) {
                    return;
                }
                faulted = grabEntries(vma, first, last, lock);
            }
            if (holdFirstTouch && lock.allocatedBlock) {
                // Failpoint: keep this fault between get_block and the PTE install until another thread faults
                // on the block, which makes the fault-vs-fault interleaving of seed 003 reproducible.
                rangeLock.waitForContender(lock, HOLD_FIRST_TOUCH_NANOS);
            }
            synchronized (this) {
                if (!vma.live) {
                    return;
                }
                for (DaxEntry e : faulted) {
                    if (!e.isDirty()) {
                        e.markDirty(site, thread, now);
                    } else if (e.isTowrite()) {
                        e.markRedirtied(site, thread, now);
                    }
                    e.unmapSite = null;
                    faults++;
                    mkwrite(vma, e);
                }
                for (RangeLock.Holder other : waitedFor) {
                    if (other.allocatedBlock && other.operation.equals("fault")) {
                        concurrentFirstTouches++;
                        if (!zeroingInFs) {
                            hazard(HazardKind.CONCURRENT_FIRST_TOUCH, vma.pgoff + first, vma.pgoff + last + 1,
                                    new Actor("first touch", other.thread.getName(), other.site),
                                    new Actor("first touch", thread, site));
                        }
                    }
                }
            }
        } finally {
            rangeLock.unlock(lock);
        }
    }

    /**
     * Under the xarray lock: the entries the fault covers, allocating blocks for holes. A page beyond the end of
     * the file gets no entry: the store there raced a truncate (the kernel's fault returns SIGBUS).
     */
    private List<DaxEntry> grabEntries(Vma vma, int first, int last, RangeLock.Holder lock) {
        List<DaxEntry> faulted = new ArrayList<>(last - first + 1);
        long eofPage = Pages.pagesFor(isize);
        for (int page = first; page <= last; page++) {
            if (vma.pte[page] != 0) {
                continue; // another thread faulted it in meanwhile
            }
            long pgoff = vma.pgoff + page;
            if (pgoff >= eofPage) {
                storeBeyondEof(pgoff, lock.site);
                continue;
            }
            DaxEntry e = grabEntry(vma, pgoff);
            if (allocate(e)) {
                lock.allocatedBlock = true;
                e.newBlock = true;
                e.metadataDurable = vma.mode.isSync(); // dax_finish_sync_fault: MAP_SYNC syncs metadata here
            }
            if (!faulted.contains(e)) {
                faulted.add(e);
            }
        }
        return faulted;
    }

    /** {@code get_block} for a write: allocates the entry's blocks that are holes; true if it allocated any. */
    private boolean allocate(DaxEntry e) {
        boolean allocated = false;
        Map.Entry<Long, Long> hole = holes.lowerEntry(e.end());
        while (hole != null && hole.getValue() > e.index) {
            long start = hole.getKey();
            long end = hole.getValue();
            holes.remove(start);
            if (start < e.index) {
                holes.put(start, e.index);
            }
            if (end > e.end()) {
                holes.put(e.end(), end);
            }
            allocated = true;
            hole = holes.lowerEntry(start);
        }
        return allocated;
    }

    private void storeBeyondEof(long pgoff, Site site) {
        hazard(HazardKind.STORE_BEYOND_EOF, pgoff, pgoff + 1, lastTruncate,
                new Actor("store", Thread.currentThread().getName(), site));
    }

    /**
     * A store is about to go to {@code pgoff} through {@code vma}; called before the store only while some mapping
     * reaches beyond its file's end. Records the hazard first, because the store will fault and may kill the JVM.
     */
    void beforeStoreBeyondEof(long pgoff) {
        synchronized (this) {
            if (pgoff < Pages.pagesFor(isize)) {
                return;
            }
        }
        Site site = SiteCapture.here();
        synchronized (this) {
            storeBeyondEof(pgoff, site);
        }
    }

    private synchronized long sizeNow() {
        return isize;
    }

    /** Whether page {@code pgoff} lies beyond the end of the file. */
    synchronized boolean beyondEof(long pgoff) {
        return pgoff >= Pages.pagesFor(isize);
    }

    private void hazard(HazardKind kind, long start, long end, Actor first, Actor second) {
        if (hazards.size() < KEPT_EVENTS * 4) {
            hazards.add(new HazardEvent(kind, start, end, first, second));
        }
        HazardRecordedEvent event = new HazardRecordedEvent();
        if (event.isEnabled()) {
            event.code = kind.code();
            event.kind = kind.name();
            event.file = path;
            event.start = start << Pages.PAGE_SHIFT;
            event.end = end << Pages.PAGE_SHIFT;
            event.first = describe(first);
            event.second = describe(second);
            event.commit();
        }
    }

    private static String describe(Actor a) {
        return a == null ? null : a.operation() + " on " + a.thread() + " at " + a.site();
    }

    /** {@code grab_mapping_entry}: the entry covering {@code pgoff}, or a new PMD or PTE entry for it. */
    private DaxEntry grabEntry(Vma vma, long pgoff) {
        DaxEntry e = covering(pgoff);
        if (e == null) {
            long pmd = Pages.pmdIndex(pgoff);
            e = pmdFits(vma, pmd) ? new DaxEntry(pmd, Pages.PTES_PER_PMD) : new DaxEntry(pgoff, 1);
            entries.put(e.index, e);
        }
        return e;
    }

    private DaxEntry covering(long pgoff) {
        Map.Entry<Long, DaxEntry> floor = entries.floorEntry(pgoff);
        return floor != null && floor.getValue().end() > pgoff ? floor.getValue() : null;
    }

    /** The fallback checks of {@code dax_iomap_pmd_fault} that can be seen from user space (see class comment). */
    private boolean pmdFits(Vma vma, long pmd) {
        return pmdEntries
                && vma.pmdColoured
                && pmd >= vma.pgoff && pmd + Pages.PTES_PER_PMD <= vma.pgoffEnd()
                && pmd + Pages.PTES_PER_PMD <= Pages.pagesFor(isize)
                && entries.subMap(pmd, true, pmd + Pages.PTES_PER_PMD, false).isEmpty();
    }

    private static void mkwrite(Vma vma, DaxEntry e) {
        setPtes(vma, e.index, e.end(), (byte) 1);
    }

    /** {@code pfn_mkclean_range}: write-protect the entry's pages in every mapping, so the next store faults. */
    private void mkclean(DaxEntry e) {
        for (Vma vma : vmas) {
            setPtes(vma, e.index, e.end(), (byte) 0);
        }
    }

    private static void setPtes(Vma vma, long from, long to, byte value) {
        long lo = Math.max(from, vma.pgoff);
        long hi = Math.min(to, vma.pgoffEnd());
        for (long pgoff = lo; pgoff < hi; pgoff++) {
            Vma.PTE.setOpaque(vma.pte, (int) (pgoff - vma.pgoff), value);
        }
    }

    // ---- writeback ------------------------------------------------------------------------------------------

    /**
     * Start of {@code dax_writeback_mapping_range} over pages {@code [start, end)}: tag the dirty entries TOWRITE
     * and write-protect them everywhere. A PMD entry that overlaps the range is written back whole.
     */
    Writeback startWriteback(long start, long end, Writeback.Kind kind) {
        List<DaxEntry> tagged = new ArrayList<>();
        RangeLock.Holder lock = rangeLock.lock(start, end, false, "writeback", null);
        try {
        synchronized (this) {
            for (DaxEntry e : overlapping(start, end).values()) {
                if (e.isDirty()) {
                    e.tags |= DaxEntry.TOWRITE;
                    e.redirtySite = null;
                    tagged.add(e);
                    mkclean(e);
                }
            }
        }
        } finally {
            rangeLock.unlock(lock);
        }
        // The PTE bytes must be visibly clear before the real flush reads the pages. The range lock is not held
        // across the flush: the flush is the application's own msync, and a lock held across it would stall
        // every other thread's fault for its whole duration.
        VarHandle.fullFence();
        WritebackEvent event = new WritebackEvent();
        event.begin();
        Writeback w = new Writeback(this, kind, tagged, event);
        w.startedAt = clock.getAsLong();
        return w;
    }

    /**
     * End of writeback ({@code dax_writeback_one} for each tagged entry): clear TOWRITE; a written-back entry is
     * clean and leaves the index, unless a store faulted on it during the flush, in which case it is dirty again.
     * A failed flush leaves every entry dirty.
     */
    void finishWriteback(Writeback w, boolean completed) {
        long now = clock.getAsLong();
        List<DaxEntry> raced = new ArrayList<>();
        long flushedBefore;
        synchronized (this) {
            flushedBefore = bytesFlushed;
            writebackMicros.recordValue(Math.max(0, now - w.startedAt) / 1_000);
            switch (w.kind) {
                case MSYNC: msyncs++; break;
                case CACHE_FLUSH: cacheFlushes++; break;
                default: fsyncs++; break;
            }
            for (DaxEntry e : w.tagged) {
                if (!e.isTowrite() || entries.get(e.index) != e) {
                    continue; // written back by a concurrent sync, or truncated away
                }
                e.tags &= ~DaxEntry.TOWRITE;
                if (!completed) {
                    continue;
                }
                bytesFlushed += e.pages << Pages.PAGE_SHIFT;
                if (e.wasRedirtied()) {
                    if (!e.redirtyThread.equals(Thread.currentThread().getName())) {
                        raced.add(e.slice(e.index, e.end()));
                        raced.get(raced.size() - 1).markDirty(e.redirtySite, e.redirtyThread, e.redirtiedAt);
                    }
                    e.keepRedirtied();
                } else {
                    syncedEntries++;
                    syncLagMicros.recordValue(Math.max(0, now - e.dirtiedAt) / 1_000);
                    addRun(syncedPages, e.index, e.end());
                    e.newBlock = false; // msync/fsync made the allocation durable along with the data
                    entries.remove(e.index);
                }
            }
        }
        WritebackEvent event = w.event;
        event.end();
        if (event.shouldCommit()) {
            event.file = path;
            event.kind = w.kind.name();
            event.completed = completed;
            synchronized (this) {
                event.bytesFlushed = bytesFlushed - flushedBefore;
            }
            event.commit();
        }
        if (!raced.isEmpty()) {
            // Taken here, on the forcing thread, while its force call is still on the stack.
            Actor forcer = new Actor(w.kind == Writeback.Kind.FSYNC ? "fsync" : "force",
                    Thread.currentThread().getName(), SiteCapture.here());
            synchronized (this) {
                for (DaxEntry e : raced) {
                    hazard(HazardKind.STORE_RACING_FORCE, e.index, e.end(), forcer,
                            new Actor("store", e.thread, e.site));
                }
            }
        }
    }

    // ---- size changes ---------------------------------------------------------------------------------------

    /**
     * ftruncate/setLength. Growing only moves i_size. Shrinking drops the dirty entries beyond the new end
     * ({@code truncate_inode_pages_range}): their data is lost, and is reported so. Pages beyond the new end are
     * write-protected in every mapping: a store there now faults (SIGBUS on Linux).
     */
    void resize(long newSize) {
        long now = clock.getAsLong();
        long firstGone = Pages.pagesFor(newSize);
        Site site = SiteCapture.here();
        String thread = Thread.currentThread().getName();
        // invalidate_lock, exclusive: no fault may run in the range being cut off.
        RangeLock.Holder lock = rangeLock.lock(Pages.pmdIndex(firstGone), Long.MAX_VALUE, true, "truncate", null);
        try {
            synchronized (this) {
                long oldSize = isize;
                if (newSize >= oldSize) {
                    grow(newSize);
                    return;
                }
                isize = newSize;
                holes.tailMap(firstGone, true).clear();
                Map.Entry<Long, Long> straddling = holes.lowerEntry(firstGone);
                if (straddling != null && straddling.getValue() > firstGone) {
                    holes.put(straddling.getKey(), firstGone);
                }
                List<DaxEntry> gone = new ArrayList<>();
                for (DaxEntry e : new ArrayList<>(overlapping(firstGone, Long.MAX_VALUE).values())) {
                    long from = Math.max(e.index, firstGone);
                    gone.add(e.slice(from, e.end()));
                    if (e.index >= firstGone) {
                        entries.remove(e.index);
                    }
                }
                Actor truncator = new Actor("truncate", thread, site);
                lastTruncate = truncator;
                for (Vma vma : vmas) {
                    setPtes(vma, firstGone, Long.MAX_VALUE, (byte) 0);
                    if (vma.pgoffEnd() > firstGone) {
                        beyondEofMappings = true;
                        hazard(HazardKind.TRUNCATE_UNDER_MAPPING, firstGone, vma.pgoffEnd(),
                                new Actor("map", vma.mapThread, vma.mapSite), truncator);
                    }
                }
                if (!gone.isEmpty()) {
                    lost.add(new Lost(gone, site, thread, now));
                }
            }
        } finally {
            rangeLock.unlock(lock);
        }
    }

    /** Adds pages {@code [start, end)} to a run-set of page ranges, merging neighbours. */
    private static void addRun(TreeMap<Long, Long> runs, long start, long end) {
        Map.Entry<Long, Long> before = runs.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> next = runs.ceilingEntry(start);
        while (next != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            runs.remove(next.getKey());
            next = runs.ceilingEntry(start);
        }
        runs.put(start, end);
    }

    /** i_size grows: the new pages are a hole until write faults allocate them. */
    private void grow(long newSize) {
        long oldPages = Pages.pagesFor(isize);
        long newPages = Pages.pagesFor(newSize);
        if (newPages > oldPages) {
            Map.Entry<Long, Long> last = holes.lastEntry();
            if (last != null && last.getValue() == oldPages) {
                holes.put(last.getKey(), newPages);
            } else {
                holes.put(oldPages, newPages);
            }
        }
        isize = Math.max(isize, newSize);
    }

    /** Whether some mapping of this file was left reaching beyond its end by a truncate. */
    synchronized boolean hasBeyondEofMappings() {
        return beyondEofMappings;
    }

    /**
     * close(2) of a descriptor changes nothing for the mappings or the dirty index; it is counted because a close
     * with dirty pages is often where a program meant to have synced.
     */
    void channelClosed() {
        Site site = SiteCapture.here();
        synchronized (this) {
            channelCloses++;
            for (DaxEntry e : entries.values()) {
                if (e.isDirty()) {
                    closesWithUnsyncedPages++;
                    if (closes.size() < KEPT_EVENTS) {
                        closes.add(new HazardEvent(HazardKind.UNSYNCED_AT_UNMAP_OR_CLOSE, e.index, e.end(),
                                new Actor("close", Thread.currentThread().getName(), site), null));
                    }
                    return;
                }
            }
        }
    }

    // ---- reporting ------------------------------------------------------------------------------------------

    private NavigableMap<Long, DaxEntry> overlapping(long start, long end) {
        Long from = entries.floorKey(start);
        if (from == null || entries.get(from).end() <= start) {
            from = start;
        }
        return entries.subMap(from, true, end, false);
    }

    /**
     * A consistent copy of this file's state for a report. Dirty entries that a live mapping still covers are
     * unsynced; those whose last mapping was unmapped (and that no sync wrote back since) were lost at unmap.
     */
    synchronized Snapshot snapshot() {
        List<DaxEntry> mapped = new ArrayList<>();
        List<DaxEntry> unmapped = new ArrayList<>();
        for (DaxEntry e : entries.values()) {
            boolean orphan = e.unmapSite != null && !coveredByLiveVma(e);
            (orphan ? unmapped : mapped).add(e.slice(e.index, e.end()));
        }
        long stored = bytesStoredByUnmapped;
        for (Vma vma : vmas) {
            stored += vma.bytesStored();
        }
        return new Snapshot(this, isize, mapped, unmapped, new LinkedHashMap<>(mappingHistory), new ArrayList<>(lost),
                faults, msyncs, cacheFlushes, fsyncs, bytesFlushed, stored, syncedEntries, syncLagMicros.copy(),
                writebackMicros.copy(), new TreeMap<>(syncedPages), channelCloses, closesWithUnsyncedPages, new ArrayList<>(hazards),
                new ArrayList<>(closes), concurrentFirstTouches);
    }

    /** What a mapping looked like, for the report: file pages, mode and the site that mapped it. */
    static final class MappingKey {
        final long pgoff;
        final long pgoffEnd;
        final MappingMode mode;
        final Site site;
        final String thread;

        MappingKey(long pgoff, long pgoffEnd, MappingMode mode, Site site, String thread) {
            this.pgoff = pgoff;
            this.pgoffEnd = pgoffEnd;
            this.mode = mode;
            this.site = site;
            this.thread = thread;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof MappingKey)) {
                return false;
            }
            MappingKey k = (MappingKey) o;
            return pgoff == k.pgoff && pgoffEnd == k.pgoffEnd && mode == k.mode && site.equals(k.site)
                    && java.util.Objects.equals(thread, k.thread);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(pgoff) * 31 + Long.hashCode(pgoffEnd)) * 31 + site.hashCode();
        }
    }

    /** A hazard as it happened: kind, file pages, and the two sides. */
    static final class HazardEvent {
        final HazardKind kind;
        final long start;
        final long end;
        final Actor first;
        final Actor second;

        HazardEvent(HazardKind kind, long start, long end, Actor first, Actor second) {
            this.kind = kind;
            this.start = start;
            this.end = end;
            this.first = first;
            this.second = second;
        }
    }

    /** Dirty data that a truncate discarded. */
    static final class Lost {
        final List<DaxEntry> entries;
        final Site site;
        final String thread;
        final long at;

        Lost(List<DaxEntry> entries, Site site, String thread, long at) {
            this.entries = entries;
            this.site = site;
            this.thread = thread;
            this.at = at;
        }
    }

    /** A frozen copy of one file's state. */
    static final class Snapshot {
        final AddressSpace space;
        final long isize;
        final List<DaxEntry> unsynced;
        final List<DaxEntry> lostAtUnmap;
        final Map<MappingKey, long[]> mappings;
        final List<Lost> lost;
        final long faults;
        final long msyncs;
        final long cacheFlushes;
        final long fsyncs;
        final long bytesFlushed;
        final long bytesStored;
        final long syncedEntries;
        final Histogram syncLagMicros;
        final Histogram writebackMicros;
        final TreeMap<Long, Long> syncedPages;
        final long channelCloses;
        final long closesWithUnsyncedPages;
        final List<HazardEvent> hazards;
        final List<HazardEvent> closes;
        final long concurrentFirstTouches;

        Snapshot(AddressSpace space, long isize, List<DaxEntry> unsynced, List<DaxEntry> lostAtUnmap,
                 Map<MappingKey, long[]> mappings, List<Lost> lost, long faults, long msyncs, long cacheFlushes,
                 long fsyncs, long bytesFlushed, long bytesStored, long syncedEntries, Histogram syncLagMicros,
                 Histogram writebackMicros, TreeMap<Long, Long> syncedPages, long channelCloses, long closesWithUnsyncedPages, List<HazardEvent> hazards,
                 List<HazardEvent> closes, long concurrentFirstTouches) {
            this.space = space;
            this.isize = isize;
            this.unsynced = unsynced;
            this.lostAtUnmap = lostAtUnmap;
            this.mappings = mappings;
            this.lost = lost;
            this.faults = faults;
            this.msyncs = msyncs;
            this.cacheFlushes = cacheFlushes;
            this.fsyncs = fsyncs;
            this.bytesFlushed = bytesFlushed;
            this.bytesStored = bytesStored;
            this.syncedEntries = syncedEntries;
            this.syncLagMicros = syncLagMicros;
            this.writebackMicros = writebackMicros;
            this.syncedPages = syncedPages;
            this.channelCloses = channelCloses;
            this.closesWithUnsyncedPages = closesWithUnsyncedPages;
            this.hazards = hazards;
            this.closes = closes;
            this.concurrentFirstTouches = concurrentFirstTouches;
        }
    }
}
