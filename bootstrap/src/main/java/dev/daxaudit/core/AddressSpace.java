package dev.daxaudit.core;

import dev.daxaudit.core.jfr.UnsyncedUnmapEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One file ({@code struct address_space}): the mappings over it ({@code i_mmap}) and its two layers, kept apart.
 * <ul>
 * <li>The data truth, {@link StoredPages}, kept here: which 4 KiB pages (and, for MAP_SYNC, which cache lines) the
 * program stored into since their last covering writeback, by which sites and threads. Every verdict comes from
 * it.</li>
 * <li>The kernel model, {@link DaxModel}: i_size, the dirty index, the blocks and the range lock. It explains and
 * measures (faults, entry sizes, bytes flushed), and finds the hazards; it never widens a verdict beyond the pages
 * stored, and never makes a page durable that the program's own force or fsync did not cover.</li>
 * </ul>
 * This class sequences the two for each event (fault, writeback, truncate, unmap, close) and records what they
 * count ({@link FileLedger}) and the hazards. This object's monitor plays the xarray lock: every state change of
 * both layers happens under it.
 */
final class AddressSpace {
    final FileId id;
    final Storage storage;
    private final boolean zeroingInFs;
    private final FaultFailpoint failpoint;
    private final LongSupplier clock;
    private volatile String path;

    private final StoredPages stored = new StoredPages();
    private final DaxModel kernel;
    private final RangeLock rangeLock;
    private final FileLedger ledger;
    private final HazardLog hazards = new HazardLog();
    private final FileMappings mappings;

    AddressSpace(FileId id, String path, Storage storage, boolean pmdEntries, boolean zeroingInFs,
                 FaultFailpoint failpoint, LongSupplier clock, DetailBudget budget) {
        boolean detailed = budget.admit(DetailBudget.FILE_BYTES);
        this.ledger = new FileLedger(budget, detailed);
        this.mappings = new FileMappings(detailed);
        this.id = id;
        this.path = path;
        this.storage = storage;
        this.zeroingInFs = zeroingInFs;
        this.failpoint = failpoint;
        this.clock = clock;
        this.kernel = new DaxModel(pmdEntries);
        this.rangeLock = kernel.rangeLock();
    }

    String path() {
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
     * {@code map()} grows a file it maps beyond its end, and the growth is a hole until faults allocate it.
     */
    synchronized void addVma(Vma vma, long sizeBefore, long sizeAfter) {
        kernel.mapped(sizeBefore, sizeAfter);
        mappings.mapped(vma);
    }

    /**
     * munmap: the mapping goes; the data stored through it stays unsynced (the kernel keeps the dirty entries, and
     * a later fsync of the file still writes them back). Pages that no live mapping covers any more remember this
     * unmap: the last chance to force them through a mapping passed here. {@code shared}: a shared writable mapping.
     */
    void removeVma(Vma vma, boolean shared) {
        // zap_page_range: exclusive over the mapping's pages, so no fault through it is half done.
        RangeLock.Holder lock = rangeLock.lock(vma.pgoff, vma.pgoffEnd(), true, "unmap", null);
        try {
            synchronized (this) {
                mappings.unmapped(vma);
                if (!shared) {
                    return;
                }
                List<StoredPage> orphaned = stored.orphanedBy(vma, mappings);
                if (!orphaned.isEmpty()) {
                    Event unmap = Event.here("unmap", clock.getAsLong()); // the stack walk only when needed
                    for (StoredPage p : orphaned) {
                        p.unmappedBy = unmap;
                    }
                    UnsyncedUnmapEvent.emit(path, (long) orphaned.size() << Pages.PAGE_SHIFT);
                }
            }
        } finally {
            rangeLock.unlock(lock);
        }
    }

    /** The file's size as the engine last saw it. */
    synchronized long size() {
        return kernel.size();
    }

    /** The pages stored into and not durable, in the order of their oldest such store (crash states add them so). */
    synchronized List<StoredPage> unsyncedInStoreOrder() {
        return stored.unsyncedInStoreOrder();
    }

    /** The pages in {@code [start, end)} dirty in the page cache (not MAP_SYNC lines, which no msync flushes). */
    synchronized List<Long> dirtyIn(long start, long end) {
        return stored.dirtyIn(start, end);
    }

    /** The live shared writable mappings of the file, as of now. */
    synchronized List<Vma> liveVmas() {
        return new ArrayList<>(mappings.live());
    }

    // ---- stores ---------------------------------------------------------------------------------------------

    /**
     * The slow path of a store of {@code length} bytes at {@code offset} in {@code vma}, after it landed: some page
     * (or MAP_SYNC cache line) it touched was not yet recorded as stored. Records the store in the data truth;
     * when a page is not writable in this mapping, this is also the kernel's write fault.
     */
    void store(Vma vma, long offset, long length) {
        store(vma, offset, length, Event.here("store", clock.getAsLong()));
    }

    /** A store of {@code length} bytes at {@code offset} in {@code vma} by {@code store}: the slow path above. */
    void store(Vma vma, long offset, long length, Event store) {
        int first = (int) (offset >>> Pages.PAGE_SHIFT);
        int last = (int) ((offset + length - 1) >>> Pages.PAGE_SHIFT);
        synchronized (this) {
            if (!vma.live) {
                return;
            }
            if (vma.allWritable(first, last)) {
                ledger.pagesDirtied += stored.record(vma, offset, length, store);
                return;
            }
        }
        writeFault(vma, offset, length, store);
    }

    /**
     * write(2) of {@code length} bytes at {@code position} returned ({@code FileChannel.write},
     * {@code RandomAccessFile.write}, {@code FileOutputStream.write}): in the page cache ({@code
     * generic_perform_write}) its pages are dirty in the one cache every mapping of the file shares, unsynced like a
     * store's until an msync over them or an fsync or fdatasync of the file completes. On fs-dax ({@code
     * dax_iomap_rw}) the data reaches the media as the call copies it ({@code dax_copy_from_iter}), so only the
     * pages whose blocks the write allocated (holes, or past the end of file) wait for a sync. A write past the end
     * moves i_size.
     */
    void written(long position, long length) {
        if (length <= 0 || position < 0) {
            return;
        }
        Event write = Event.here("write", clock.getAsLong());
        if (position + length > size()) {
            resize(position + length);
        }
        boolean dax = storage.model() == Storage.Model.DAX;
        synchronized (this) {
            for (long pgoff = position >>> Pages.PAGE_SHIFT; pgoff <= (position + length - 1) >>> Pages.PAGE_SHIFT;
                 pgoff++) {
                if (dax && !kernel.blocks().allocate(pgoff, pgoff + 1, false)) {
                    continue;
                }
                if (stored.storePage(pgoff, write)) {
                    ledger.pagesDirtied++;
                }
            }
        }
    }

    /**
     * {@code dax_iomap_pte_fault} / {@code dax_iomap_pmd_fault} (or the page cache's {@code do_shared_fault}): take
     * the range lock over the entry ({@code grab_mapping_entry} locks it; the whole 2 MiB for a PMD), allocate a
     * block if the page is a hole ({@code get_block} returning BH_New), tag the entry DIRTY ({@code
     * dax_insert_entry}; not for a MAP_SYNC fault, whose entry stays clean) and make the page writable in this
     * mapping. A thread that has to wait for another thread's allocating fault on the same block raced a first touch.
     */
    private void writeFault(Vma vma, long offset, long length, Event store) {
        failpoint.faulting();
        int first = (int) (offset >>> Pages.PAGE_SHIFT);
        int last = (int) ((offset + length - 1) >>> Pages.PAGE_SHIFT);
        long[] span = kernel.faultSpan(vma, first, last); // reads only what never changes: no lock
        List<RangeLock.Holder> waitedFor = new ArrayList<>(1);
        RangeLock.Holder lock = rangeLock.lock(span[0], span[1], true, "fault", waitedFor);
        lock.site = store.site;
        try {
            List<DaxEntry> faulted;
            synchronized (this) {
                if (!vma.live) {
                    return;
                }
                List<Long> beyondEof = new ArrayList<>(0);
                faulted = kernel.grabEntries(vma, first, last, lock, beyondEof);
                for (long pgoff : beyondEof) {
                    hazards.storeBeyondEof(path, pgoff, store);
                }
            }
            failpoint.blockLookedUp(rangeLock, lock);
            synchronized (this) {
                if (!vma.live) {
                    return;
                }
                for (DaxEntry e : faulted) {
                    kernel.install(vma, e, first, last, ledger);
                }
                ledger.pagesDirtied += stored.record(vma, offset, length, store);
                ledger.concurrentFirstTouches += hazards.firstTouches(path, vma.pgoff + first, vma.pgoff + last + 1,
                        waitedFor, store, !zeroingInFs && storage.model() == Storage.Model.DAX);
            }
        } finally {
            rangeLock.unlock(lock);
        }
    }

    /**
     * A store is about to go to {@code pgoff}; called before the store only while some mapping reaches beyond its
     * file's end. Records the hazard first, because the store will fault and may kill the JVM.
     */
    void beforeStoreBeyondEof(long pgoff) {
        synchronized (this) {
            if (!kernel.beyondEof(pgoff)) {
                return;
            }
        }
        Event store = Event.here("store", clock.getAsLong());
        synchronized (this) {
            hazards.storeBeyondEof(path, pgoff, store);
        }
    }

    /** Whether page {@code pgoff} lies beyond the end of the file. */
    synchronized boolean beyondEof(long pgoff) {
        return kernel.beyondEof(pgoff);
    }

    // ---- writeback ------------------------------------------------------------------------------------------

    /**
     * Start of {@code dax_writeback_mapping_range} over pages {@code [start, end)} (msync of a range, or fsync of
     * the whole file): the model tags its DIRTY entries TOWRITE and write-protects them in every mapping, a PMD
     * entry whole; the truth notes which stored pages this writeback covers, and that any store from now on must be
     * recorded again.
     */
    Writeback startWriteback(long start, long end, Writeback.Kind kind) {
        Writeback w;
        RangeLock.Holder lock = rangeLock.lock(start, end, false, "writeback", null);
        try {
            synchronized (this) {
                w = new Writeback(this, kind, start, end, 0, 0, stored.tick(),
                        kernel.tagForWriteback(start, end, mappings.live()));
                stored.tag(start, end, w.startSeq);
                for (StoredPage p : stored.in(start, end)) {
                    mappings.writebackStarted(p);
                }
            }
        } finally {
            rangeLock.unlock(lock);
        }
        return w.started(clock.getAsLong());
    }

    /**
     * Start of a force of a MAP_SYNC mapping over file bytes {@code [from, to)}: user space writes back the cache
     * lines (no system call, no kernel lock, no write-protect). The truth notes which stored lines it covers.
     */
    Writeback startCacheFlush(long from, long to) {
        long fromByte = from & -(1L << StoredPages.LINE_SHIFT);
        long toByte = (to + (1L << StoredPages.LINE_SHIFT) - 1) & -(1L << StoredPages.LINE_SHIFT);
        Writeback w;
        synchronized (this) {
            w = new Writeback(this, Writeback.Kind.CACHE_FLUSH, Pages.pageOf(fromByte), Pages.pagesFor(toByte),
                    fromByte, toByte, stored.tick(), List.of());
            stored.cacheFlushStarted(w, mappings);
        }
        return w.started(clock.getAsLong());
    }

    /**
     * End of the writeback ({@code dax_writeback_one} for each tagged entry): the model clears TOWRITE, and an entry
     * no fault re-dirtied meanwhile is clean; the truth makes durable the pages (or lines) stored before the
     * writeback started. A failed flush makes nothing durable.
     */
    List<Long> finishWriteback(Writeback w, boolean completed) {
        long now = clock.getAsLong();
        long flushed = 0;
        List<Long> durable = List.of();
        synchronized (this) {
            ledger.writeback(w.kind, now - w.startedAt);
            if (w.kind == Writeback.Kind.CACHE_FLUSH) {
                if (completed) {
                    flushed = w.toByte - w.fromByte;
                    stored.cacheFlushed(w, ledger, now);
                }
            } else {
                flushed = kernel.writeback(w.tagged, w.start, w.end, completed);
                if (completed) {
                    durable = stored.written(w, w.start, w.end, ledger, now);
                }
            }
            ledger.bytesFlushed += flushed;
        }
        w.ended(path, completed, flushed);
        return durable;
    }

    // ---- size changes ---------------------------------------------------------------------------------------

    /**
     * ftruncate/setLength. Growing only moves i_size. Shrinking discards everything beyond the new end, stored or
     * not ({@code truncate_inode_pages_range}): that is what a truncate is for, so it is no durability failure.
     * Shrinking while a live mapping still covers pages beyond the new end is the hazard: any access there faults
     * (SIGBUS). Pages beyond the end are write-protected in every mapping.
     */
    void resize(long newSize) {
        long firstGone = Pages.pagesFor(newSize);
        // invalidate_lock, exclusive: no fault may run in the range being cut off.
        RangeLock.Holder lock = rangeLock.lock(Pages.pmdIndex(firstGone), Long.MAX_VALUE, true, "truncate", null);
        try {
            synchronized (this) {
                if (newSize >= kernel.size()) {
                    kernel.grow(newSize);
                    return;
                }
                DaxEntry straddling = kernel.truncate(newSize);
                Event truncate = Event.here("truncate", clock.getAsLong());
                if (straddling != null) {
                    hazards.truncateDropsUnwritten(path, stored.in(straddling.index, firstGone), truncate);
                }
                long discarded = stored.truncate(firstGone);
                ledger.pagesDiscarded += discarded;
                // unmap_mapping_range from the new end; a PMD that straddles it is zapped whole.
                Vma live = mappings.zap(straddling != null ? straddling.index : firstGone, firstGone);
                hazards.truncated(path, truncate, firstGone, live, discarded);
            }
        } finally {
            rangeLock.unlock(lock);
        }
    }

    /** Whether some mapping of this file was left reaching beyond its end by a truncate. */
    synchronized boolean hasBeyondEofMappings() {
        return hazards.beyondEofMappings();
    }

    /**
     * close(2) of a descriptor changes nothing for the mappings or the data; it is noted on the unsynced pages
     * because a close is often where a program meant to have synced.
     */
    void channelClosed() {
        synchronized (this) {
            ledger.channelCloses++;
            if (stored.size() == 0) {
                return;
            }
        }
        Event close = Event.here("close", clock.getAsLong());
        synchronized (this) {
            if (stored.closedWhileUnsynced(close)) {
                ledger.closesWithUnsyncedPages++;
            }
        }
    }

    // ---- reporting ------------------------------------------------------------------------------------------

    /** A copy of this file's state that shares nothing with the live engine. */
    synchronized FileSnapshot snapshot() {
        List<FileSnapshot.UnsyncedPage> unsynced = new ArrayList<>(stored.size());
        for (StoredPage p : stored.all()) {
            if (p.unsynced()) {
                unsynced.add(new FileSnapshot.UnsyncedPage(p, mappings.cover(p.pgoff), kernel.blocks()));
            }
        }
        return new FileSnapshot(id, path, storage, kernel.pmdEntries, zeroingInFs, kernel.size(), unsynced,
                mappings.history(), ledger.copy(), hazards.copy(), mappings.bytesStored());
    }
}
