package dev.daxaudit.core;

import dev.daxaudit.core.jfr.WritebackEvent;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * One sync in flight, from the moment its force or fsync starts to the moment the real flush returns: what it
 * covers (file pages, or for a MAP_SYNC cache flush file bytes), the kernel model's entries it tagged TOWRITE, and
 * the sequence number that orders it against the program's stores.
 */
public final class Writeback {
    /** What started the writeback. */
    public enum Kind {
        /** {@code MappedByteBuffer.force} on a normal mapping: msync(MS_SYNC) of a range. */
        MSYNC,
        /** {@code force} on a {@code *_SYNC} mapping: cache-line writeback from user space, no system call. */
        CACHE_FLUSH,
        /** fsync/fdatasync of the whole file, through any descriptor ({@code vfs_fsync_range}). */
        FSYNC
    }

    final AddressSpace mapping;
    final Kind kind;
    /** File pages {@code [start, end)} covered. */
    final long start;
    final long end;
    /** CACHE_FLUSH only: file bytes {@code [fromByte, toByte)}, widened to whole cache lines. */
    final long fromByte;
    final long toByte;
    final long startSeq;
    final List<DaxEntry> tagged;
    final WritebackEvent event = new WritebackEvent();
    long startedAt;
    /** FSYNC only: an fdatasync ({@code FileChannel.force(false)}), which persists the size but not all metadata. */
    boolean datasync;
    private Event forcer;
    /**
     * For crash states: the pages this writeback covers, journaled as they were when it started (what it makes
     * durable); null when there were none or crash states are not recorded.
     */
    PathSync covered;

    Writeback(AddressSpace mapping, Kind kind, long start, long end, long fromByte, long toByte, long startSeq,
              List<DaxEntry> tagged) {
        this.mapping = mapping;
        this.kind = kind;
        this.start = start;
        this.end = end;
        this.fromByte = fromByte;
        this.toByte = toByte;
        this.startSeq = startSeq;
        this.tagged = tagged;
    }

    /**
     * The writeback is set up; the real flush starts next. The page bits it cleared must be visible before the flush
     * reads the pages. The range lock is not held across the flush: the flush is the application's own msync, and a
     * lock held across it would stall every other thread's fault for its whole duration.
     */
    Writeback started(long now) {
        VarHandle.fullFence();
        event.begin();
        startedAt = now;
        return this;
    }

    /** The real flush returned: the JFR event, if recorded, gets what it did. */
    void ended(String path, boolean completed, long bytesFlushed) {
        event.end();
        if (event.shouldCommit()) {
            event.file = path;
            event.kind = kind.name();
            event.completed = completed;
            event.bytesFlushed = bytesFlushed;
            event.commit();
        }
    }

    /** CACHE_FLUSH: the cache lines of page {@code pgoff} that this flush writes back, as a mask. */
    long lines(long pgoff) {
        long pageStart = pgoff << Pages.PAGE_SHIFT;
        return StoredPages.lines(Math.max(fromByte, pageStart) - pageStart,
                Math.min(toByte, pageStart + Pages.PAGE_SIZE) - pageStart);
    }

    /**
     * Who forced, captured the first time it is needed (a store raced this writeback), on the forcing thread while
     * its force call is still on the stack: most writebacks never pay for the stack walk.
     */
    Event forcer() {
        if (forcer == null) {
            forcer = Event.here(kind == Kind.FSYNC ? "fsync" : "force", System.nanoTime());
        }
        return forcer;
    }
}
