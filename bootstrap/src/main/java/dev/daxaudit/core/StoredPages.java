package dev.daxaudit.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The data truth of one file: the pages the program stored into since their last covering writeback, by page
 * offset. Stores reach it only on the slow path (the first store into a page after it was last clean or last
 * tagged for writeback), so every store it records carries a sequence number that orders it against the start of
 * each writeback.
 *
 * <p>A writeback makes durable exactly what its own range covers, and only what was stored before it started:
 * a page stored again while the writeback was in flight stays unsynced (whether that store reached the media is
 * undefined), and remembers the race as context for its finding.
 *
 * <p>Guarded by the owning {@link AddressSpace}'s monitor.
 */
final class StoredPages {
    /** Bytes per cache line, the unit a MAP_SYNC flush writes back. */
    static final int LINE_SHIFT = 6;
    static final long ALL_LINES = -1L;

    private final TreeMap<Long, StoredPage> pages = new TreeMap<>();
    private long seq;

    /** The next sequence number: orders stores against writeback starts. */
    long tick() {
        return ++seq;
    }

    StoredPage get(long pgoff) {
        return pages.get(pgoff);
    }

    int size() {
        return pages.size();
    }

    Collection<StoredPage> all() {
        return pages.values();
    }

    /** The pages in {@code [start, end)}. */
    Collection<StoredPage> in(long start, long end) {
        return pages.subMap(start, true, end, false).values();
    }

    /**
     * A store of {@code length} bytes at {@code offset} in {@code vma} landed: its pages (or MAP_SYNC cache lines)
     * recorded, and marked stored in the mapping so the fast path skips them until the next writeback starts. Pages
     * not writable in the mapping are beyond end of file: the store faulted there and nothing landed. Returns the
     * number of pages dirtied (not unsynced before).
     */
    int record(Vma vma, long offset, long length, Event store) {
        int dirtied = 0;
        long end = offset + length;
        for (long pageStart = offset & -Pages.PAGE_SIZE; pageStart < end; pageStart += Pages.PAGE_SIZE) {
            int page = (int) (pageStart >>> Pages.PAGE_SHIFT);
            if (!vma.isWritable(page)) {
                continue;
            }
            long pgoff = vma.pgoff + page;
            boolean fresh;
            if (vma.isSync()) {
                long lines = lines(Math.max(offset, pageStart) - pageStart,
                        Math.min(end, pageStart + Pages.PAGE_SIZE) - pageStart);
                fresh = storeLines(pgoff, lines, store);
                vma.markLines(page, lines);
            } else {
                fresh = storePage(pgoff, store);
                vma.markStored(page);
            }
            if (fresh) {
                dirtied++;
            }
        }
        return dirtied;
    }

    /** The pages stored into and not durable, in the order of their oldest such store. */
    List<StoredPage> unsyncedInStoreOrder() {
        List<StoredPage> out = new ArrayList<>();
        for (StoredPage p : pages.values()) {
            if (p.unsynced()) {
                out.add(p);
            }
        }
        out.sort(java.util.Comparator.comparingLong((StoredPage p) -> p.first.nanos).thenComparingLong(p -> p.pgoff));
        return out;
    }

    /** A descriptor of the file was closed: noted on every unsynced page. Returns whether there was any. */
    boolean closedWhileUnsynced(Event close) {
        boolean any = false;
        for (StoredPage p : pages.values()) {
            if (p.unsynced()) {
                any = true;
                if (p.closedWhileUnsynced == null) {
                    p.closedWhileUnsynced = close;
                }
            }
        }
        return any;
    }

    /**
     * A store through an ordinary shared mapping landed in page {@code pgoff}. Returns true when the page was not
     * unsynced before: a page dirtied.
     */
    boolean storePage(long pgoff, Event store) {
        StoredPage p = page(pgoff, store);
        boolean fresh = !p.unsynced();
        p.dirty = true;
        if (p.taggedSeq != 0 && p.afterTag == null) {
            p.afterTag = store;
        }
        p.lastStoreSeq = tick();
        return fresh;
    }

    /** A store through a MAP_SYNC mapping landed in {@code lines} of page {@code pgoff}. True for a page dirtied. */
    boolean storeLines(long pgoff, long lines, Event store) {
        StoredPage p = page(pgoff, store);
        boolean fresh = !p.unsynced();
        long restored = p.towriteLines & lines;
        if (restored != 0) {
            p.restoredLines |= restored;
            if (p.afterLineTag == null) {
                p.afterLineTag = store;
            }
        }
        p.syncLines |= lines;
        p.lastStoreSeq = tick();
        return fresh;
    }

    private StoredPage page(long pgoff, Event store) {
        StoredPage p = pages.get(pgoff);
        if (p == null) {
            pages.put(pgoff, p = new StoredPage(pgoff, store));
        }
        return p;
    }

    /** Start of an msync or fsync over pages {@code [start, end)} that began at sequence {@code startSeq}. */
    void tag(long start, long end, long startSeq) {
        for (StoredPage p : in(start, end)) {
            if (p.dirty) {
                p.taggedSeq = startSeq;
                p.afterTag = null;
            }
        }
    }

    /**
     * End of a completed msync or fsync over {@code [start, end)} that began at {@code startSeq}: pages last stored
     * before it began are durable now; a page stored while it was in flight stays unsynced, as of that store.
     * Returns the pages made durable, in page order.
     */
    List<Long> written(Writeback w, long start, long end, FileLedger ledger, long now) {
        List<Long> durable = new ArrayList<>();
        List<Long> clean = new ArrayList<>();
        for (StoredPage p : in(start, end)) {
            if (!p.dirty) {
                continue; // cache lines stored through MAP_SYNC: no msync or fsync flushes those
            }
            boolean ours = p.taggedSeq == w.startSeq;
            if (p.lastStoreSeq < w.startSeq) {
                durable.add(p.pgoff);
                p.dirty = false;
                ledger.pageSynced(p, now);
                if (p.syncLines == 0) {
                    clean.add(p.pgoff);
                }
            } else if (ours && p.afterTag != null) {
                p.first = p.afterTag;
                p.racedForce = w.forcer();
                p.racingStore = p.afterTag;
            }
            if (ours) {
                p.taggedSeq = 0;
                p.afterTag = null;
            }
        }
        for (Long pgoff : clean) {
            pages.remove(pgoff);
        }
        return durable;
    }

    /** The pages in {@code [start, end)} that an msync or fsync writes back: stored through an ordinary mapping. */
    List<Long> dirtyIn(long start, long end) {
        List<Long> dirty = new ArrayList<>();
        for (StoredPage p : in(start, end)) {
            if (p.dirty) {
                dirty.add(p.pgoff);
            }
        }
        return dirty;
    }

    /** The cache flush {@code w} starts: the lines it covers are tagged, and stores to them take the slow path. */
    void cacheFlushStarted(Writeback w, FileMappings mappings) {
        for (StoredPage p : in(w.start, w.end)) {
            long lines = w.lines(p.pgoff);
            tagLines(p.pgoff, lines);
            mappings.cacheFlushStarted(p.pgoff, lines);
        }
    }

    /** The cache flush {@code w} completed: the lines it covers, stored before it started, are durable. */
    void cacheFlushed(Writeback w, FileLedger ledger, long now) {
        for (StoredPage p : new ArrayList<>(in(w.start, w.end))) {
            linesWritten(w, p.pgoff, w.lines(p.pgoff), ledger, now);
        }
    }

    /**
     * {@code vma} was unmapped: its unsynced pages that no live mapping covers any more. The last chance to force
     * them through a mapping passed there.
     */
    List<StoredPage> orphanedBy(Vma vma, FileMappings mappings) {
        List<StoredPage> out = new ArrayList<>(0);
        for (StoredPage p : in(vma.pgoff, vma.pgoffEnd())) {
            if (p.unsynced() && !mappings.cover(p.pgoff)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Start of a cache flush of {@code lines} of page {@code pgoff} (a force of a MAP_SYNC mapping). */
    void tagLines(long pgoff, long lines) {
        StoredPage p = pages.get(pgoff);
        if (p != null && (p.syncLines & lines) != 0) {
            p.towriteLines |= p.syncLines & lines;
            p.restoredLines &= ~lines;
        }
    }

    /** End of a completed cache flush of {@code lines} of page {@code pgoff}: lines not stored since are durable. */
    void linesWritten(Writeback w, long pgoff, long lines, FileLedger ledger, long now) {
        StoredPage p = pages.get(pgoff);
        if (p == null) {
            return;
        }
        long tagged = p.towriteLines & lines;
        long raced = tagged & p.restoredLines;
        p.syncLines &= ~(tagged & ~raced);
        p.towriteLines &= ~lines;
        p.restoredLines &= ~lines;
        if (raced != 0 && p.afterLineTag != null) {
            p.first = p.afterLineTag;
            p.racedForce = w.forcer();
            p.racingStore = p.afterLineTag;
        }
        if (p.towriteLines == 0) {
            p.afterLineTag = null;
        }
        if (tagged != 0 && p.syncLines == 0 && !p.dirty) {
            ledger.pageSynced(p, now);
            pages.remove(pgoff);
        }
    }

    /** ftruncate: pages at or beyond {@code firstGone} are discarded. Returns how many of them were unsynced. */
    long truncate(long firstGone) {
        Collection<StoredPage> gone = pages.tailMap(firstGone, true).values();
        long n = gone.size();
        gone.clear();
        return n;
    }

    /** The cache lines of a page that bytes {@code [from, to)} of the page touch; {@code 0 <= from < to <= 4096}. */
    static long lines(long from, long to) {
        int first = (int) (from >>> LINE_SHIFT);
        int last = (int) ((to - 1) >>> LINE_SHIFT);
        return (last == 63 ? ALL_LINES : (1L << (last + 1)) - 1) & (ALL_LINES << first);
    }
}
