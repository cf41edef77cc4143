package dev.daxaudit.core;

import java.util.List;

/**
 * One sync in flight: the entries it tagged TOWRITE when it started. Returned by the engine when a force or
 * fsync starts, handed back when the real flush returns.
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
    final List<DaxEntry> tagged;
    /** The JFR event of this writeback, begun when it started. */
    final dev.daxaudit.core.jfr.WritebackEvent event;
    /** Clock reading when the writeback started, for its latency. */
    long startedAt;

    Writeback(AddressSpace mapping, Kind kind, List<DaxEntry> tagged, dev.daxaudit.core.jfr.WritebackEvent event) {
        this.mapping = mapping;
        this.kind = kind;
        this.tagged = tagged;
        this.event = event;
    }
}
