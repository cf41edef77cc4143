package dev.daxaudit.core;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

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
    final FileId id;
    private final boolean pmdEntries;
    private final LongSupplier clock;
    private volatile String path;

    private long isize;
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
    private long maxSyncLagNanos;
    private long totalSyncLagNanos;

    AddressSpace(FileId id, String path, boolean pmdEntries, LongSupplier clock) {
        this.id = id;
        this.path = path;
        this.pmdEntries = pmdEntries;
        this.clock = clock;
    }

    public FileId id() {
        return id;
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

    synchronized void addVma(Vma vma, long fileSize) {
        isize = Math.max(isize, fileSize);
        if (vma.mode.isSharedWritable()) {
            vmas.add(vma);
        }
        MappingKey key = new MappingKey(vma.pgoff, vma.pgoffEnd(), vma.mode, vma.mapSite);
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
        synchronized (this) {
            vma.live = false;
            vmas.remove(vma);
            bytesStoredByUnmapped += vma.bytesStored();
            long[] counts = mappingHistory.get(new MappingKey(vma.pgoff, vma.pgoffEnd(), vma.mode, vma.mapSite));
            if (counts != null) {
                counts[1]--;
            }
            for (DaxEntry e : overlapping(vma.pgoff, vma.pgoffEnd()).values()) {
                if (e.isDirty() && !coveredByLiveVma(e)) {
                    e.unmapSite = site;
                    e.unmapThread = thread;
                    e.unmappedAt = now;
                }
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
     * {@code dax_iomap_pte_fault}/{@code dax_insert_entry}: find or create the entry, tag it DIRTY if it was
     * clean, and make the page writable in this mapping. The site is taken once per fault, outside the lock.
     */
    void writeFault(Vma vma, int first, int last) {
        Site site = SiteCapture.here();
        String thread = Thread.currentThread().getName();
        long now = clock.getAsLong();
        synchronized (this) {
            if (!vma.live) {
                return;
            }
            for (int page = first; page <= last; page++) {
                if (vma.pte[page] != 0) {
                    continue; // another thread faulted it in meanwhile
                }
                DaxEntry e = grabEntry(vma, vma.pgoff + page);
                if (!e.isDirty()) {
                    e.markDirty(site, thread, now);
                } else if (e.isTowrite()) {
                    e.markRedirtied(site, thread, now);
                }
                e.unmapSite = null;
                faults++;
                mkwrite(vma, e);
            }
        }
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
        // The PTE bytes must be visibly clear before the real flush reads the pages.
        VarHandle.fullFence();
        return new Writeback(this, kind, tagged);
    }

    /**
     * End of writeback ({@code dax_writeback_one} for each tagged entry): clear TOWRITE; a written-back entry is
     * clean and leaves the index, unless a store faulted on it during the flush, in which case it is dirty again.
     * A failed flush leaves every entry dirty.
     */
    void finishWriteback(Writeback w, boolean completed) {
        long now = clock.getAsLong();
        synchronized (this) {
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
                    e.keepRedirtied();
                } else {
                    long lag = now - e.dirtiedAt;
                    syncedEntries++;
                    totalSyncLagNanos += lag;
                    maxSyncLagNanos = Math.max(maxSyncLagNanos, lag);
                    entries.remove(e.index);
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
        Site site = null;
        String thread = null;
        long now = clock.getAsLong();
        synchronized (this) {
            long oldSize = isize;
            isize = newSize;
            if (newSize >= oldSize) {
                return;
            }
            long firstGone = Pages.pagesFor(newSize);
            List<DaxEntry> gone = new ArrayList<>();
            for (DaxEntry e : new ArrayList<>(overlapping(firstGone, Long.MAX_VALUE).values())) {
                long from = Math.max(e.index, firstGone);
                gone.add(e.slice(from, e.end()));
                if (e.index >= firstGone) {
                    entries.remove(e.index);
                }
            }
            for (Vma vma : vmas) {
                setPtes(vma, firstGone, Long.MAX_VALUE, (byte) 0);
            }
            if (!gone.isEmpty()) {
                site = SiteCapture.here();
                thread = Thread.currentThread().getName();
                lost.add(new Lost(gone, site, thread, now));
            }
        }
    }

    /**
     * close(2) of a descriptor changes nothing for the mappings or the dirty index; it is counted because a close
     * with dirty pages is often where a program meant to have synced.
     */
    synchronized void channelClosed() {
        channelCloses++;
        for (DaxEntry e : entries.values()) {
            if (e.isDirty()) {
                closesWithUnsyncedPages++;
                return;
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
                faults, msyncs, cacheFlushes, fsyncs, bytesFlushed, stored, syncedEntries, totalSyncLagNanos,
                maxSyncLagNanos, channelCloses, closesWithUnsyncedPages);
    }

    /** What a mapping looked like, for the report: file pages, mode and the site that mapped it. */
    static final class MappingKey {
        final long pgoff;
        final long pgoffEnd;
        final MappingMode mode;
        final Site site;

        MappingKey(long pgoff, long pgoffEnd, MappingMode mode, Site site) {
            this.pgoff = pgoff;
            this.pgoffEnd = pgoffEnd;
            this.mode = mode;
            this.site = site;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof MappingKey)) {
                return false;
            }
            MappingKey k = (MappingKey) o;
            return pgoff == k.pgoff && pgoffEnd == k.pgoffEnd && mode == k.mode && site.equals(k.site);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(pgoff) * 31 + Long.hashCode(pgoffEnd)) * 31 + site.hashCode();
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
        final long totalSyncLagNanos;
        final long maxSyncLagNanos;
        final long channelCloses;
        final long closesWithUnsyncedPages;

        Snapshot(AddressSpace space, long isize, List<DaxEntry> unsynced, List<DaxEntry> lostAtUnmap,
                 Map<MappingKey, long[]> mappings, List<Lost> lost, long faults, long msyncs, long cacheFlushes,
                 long fsyncs, long bytesFlushed, long bytesStored, long syncedEntries, long totalSyncLagNanos,
                 long maxSyncLagNanos, long channelCloses, long closesWithUnsyncedPages) {
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
            this.totalSyncLagNanos = totalSyncLagNanos;
            this.maxSyncLagNanos = maxSyncLagNanos;
            this.channelCloses = channelCloses;
            this.closesWithUnsyncedPages = closesWithUnsyncedPages;
        }
    }
}
