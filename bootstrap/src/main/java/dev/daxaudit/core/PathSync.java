package dev.daxaudit.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An fsync or fdatasync in flight of a file the engine does not audit, or of a directory: recorded for crash states
 * only: a file written through the write family (by its {@code id}), the directory's fsync that persists a rename,
 * another file's fsync that commits ext4's journal (by path; null when only the descriptor is known).
 *
 * <p>For a file journaled through its writes, the sync covers what was written before it started, and nothing
 * later: fsync(2) persists the data the file held when it was called, and a write from another thread while it runs
 * may or may not be written back ({@code ext4_sync_file} -> {@code file_write_and_wait_range} writes back the pages
 * dirty at that time; a page dirtied again after its writeback is dirty again). So the pages pending at the start are
 * journaled then, as they were, and made durable when the sync returns; a page written again in between stays
 * pending with that write.
 */
public final class PathSync {
    final FileId id;
    final String path;
    final boolean datasync;
    /** The journal's number for the page images taken at the start; 0 when none were (not a journaled file). */
    int token;
    /** The pages the sync covers: pending at its start. */
    Set<Long> covered;
    /** The file's size at the start: the size the sync makes durable. */
    long size;
    /** Covered pages written again while the sync ran, with the first such write: pending after it. */
    final Map<Long, Event> rewritten = new LinkedHashMap<>();

    PathSync(FileId id, String path, boolean datasync) {
        this.id = id;
        this.path = path;
        this.datasync = datasync;
    }
}
