package dev.daxaudit.core;

/**
 * One 4 KiB page of a file that the program stored into and that no covering writeback has made durable since:
 * the data truth every verdict comes from. What the kernel model does with the page (a PMD entry around it, a
 * write-protect fault, a whole-entry flush) never changes this record; only the program's own stores, forces and
 * fsyncs over this page do.
 *
 * <p>Two kinds of store are kept apart, because the kernel makes them durable differently. A store through an
 * ordinary shared mapping dirties the page ({@link #dirty}): an msync or fsync covering the page makes it durable.
 * A store through a MAP_SYNC mapping marks its 64-byte cache lines ({@link #syncLines}, bit i = bytes
 * [64i, 64i + 64)): the fault left the kernel's entry clean ({@code dax_insert_entry} does not tag synchronous
 * faults DIRTY), so no msync or fsync ever flushes them; only a cache flush of those lines does.
 *
 * <p>Guarded by the owning {@link AddressSpace}'s monitor.
 */
final class StoredPage {
    final long pgoff;
    /** The oldest store into this page not yet known durable. */
    Event first;
    /** Stored through an ordinary shared mapping since the last msync/fsync that covered the page. */
    boolean dirty;
    /** Cache lines stored through a MAP_SYNC mapping and not yet flushed. */
    long syncLines;
    /** Sequence number (see {@link StoredPages#tick}) of the latest store seen on the slow path. */
    long lastStoreSeq;
    /** Start sequence of the latest msync/fsync in flight over this page, or 0; and the first store after it. */
    long taggedSeq;
    Event afterTag;
    /** Lines a cache flush in flight will write back, those stored again since it started, and the first such store. */
    long towriteLines;
    long restoredLines;
    Event afterLineTag;
    /** A force that covered this page while another thread stored into it, and that store: the page stayed unsynced. */
    Event racedForce;
    Event racingStore;
    /** The unmap after which no live mapping covered this page; stays set when a new mapping covers it again. */
    Event unmappedBy;
    /** The first close of a channel of the file while this page was unsynced. */
    Event closedWhileUnsynced;

    StoredPage(long pgoff, Event first) {
        this.pgoff = pgoff;
        this.first = first;
    }

    boolean unsynced() {
        return dirty || syncLines != 0;
    }
}
