package dev.daxaudit.core;

/**
 * The program's file calls that go through no mapping, as the VFS sees them: {@code vfs_write} (the write family),
 * {@code vfs_fsync_range} of a file never mapped or of a directory, {@code do_truncate} of a file only written, and
 * the namespace calls ({@code vfs_create}, {@code vfs_rename}, {@code vfs_link}, {@code vfs_unlink}). Crash states
 * need all of them; a write into a file the program also maps feeds that file's data truth too (one page cache).
 * The agent's hooks reach this through {@link DaxEngine#vfs()}.
 */
public final class Vfs {
    private final CrashRecorder crash;
    private final FileTable files;
    /** Where files live: the filesystem of a file the program writes, for crash-test's persistence model. */
    private final Storage.Probe storage;

    Vfs(CrashRecorder crash, FileTable files, Storage.Probe storage) {
        this.crash = crash;
        this.files = files;
        this.storage = storage;
    }

    /** Whether crash states are recorded: only then do namespace operations and path syncs reach the engine. */
    public boolean recordsCrashStates() {
        return crash.recording();
    }

    /**
     * The agent's own file I/O on this thread starts ({@code true}) or ends ({@code false}): crash states record
     * none of its creates, renames, writes and syncs.
     */
    public void agentIo(boolean on) {
        crash.agentIo(on);
    }

    /** Whether a write(2) into file {@code id} is of interest: crash states are recorded, or the file is mapped. */
    public boolean wantsWrites(FileId id) {
        return crash.recording() || files.existing(id) != null;
    }

    /** Whether any write(2) can be of interest: crash states are recorded, or some file was mapped. */
    public boolean wantsWrites() {
        return crash.recording() || files.any();
    }

    /**
     * The program is about to write into file {@code id} ({@code path}, absolute) through the write family
     * ({@code FileChannel.write}, {@code RandomAccessFile.write}, {@code FileOutputStream.write}): only crash states
     * need it, and the file's content before its first write is their durable start.
     */
    public void writing(FileId id, String path) {
        if (crash.recording()) {
            crash.writing(id, path, storage);
        }
    }

    /**
     * {@code length} bytes were written at {@code position} of file {@code id}: pending until a sync covers them, in
     * crash states and, for a file the program maps, in its data truth (one page cache: the same unsynced findings
     * and the same syncs as its stores).
     */
    public void written(FileId id, long position, long length) {
        if (crash.recording()) {
            crash.written(id, position, length);
        }
        AddressSpace space = files.existing(id);
        if (space != null) {
            space.written(position, length);
        }
    }

    /**
     * An fsync or fdatasync of a file never mapped ({@code id} where its descriptor is known), or of a directory
     * ({@code path}), is starting: only crash states need it (a directory's fsync persists its entries; on ext4 any
     * fsync may commit earlier namespace operations). Returns null when crash states are not recorded.
     */
    public PathSync startPathSync(FileId id, String path, boolean datasync) {
        if ((path == null && id == null) || !crash.recording()) {
            return null;
        }
        // A crash while the sync runs: any pending page may already be on disk, though what the sync commits is not
        // (ext4 data=ordered writes a file's data before the journal commit that carries earlier metadata; the
        // dm-log-writes replay in the guest left a manifest's new page on disk with a truncate it relied on unmade).
        crash.point("before-fsync", "");
        PathSync sync = new PathSync(id, path, datasync);
        crash.syncStarting(sync);
        return sync;
    }

    /** The sync {@link #startPathSync} started returned ({@code completed}) or threw. */
    public void finishPathSync(PathSync sync, boolean completed) {
        if (!completed) {
            crash.syncFailed(sync);
        } else if (crash.synced(sync)) {
            crash.point("fsync", "");
        }
    }

    /**
     * The size of file {@code id}, which the engine does not map, was set by ftruncate ({@code truncate},
     * {@code setLength}): for crash states, a size change of a file written through the write family, like a mapped
     * file's (pending until its sync, or on ext4 the next commit). A crash point follows it.
     */
    public void resizeWritten(FileId id, long newSize) {
        if (crash.resizedWritten(id, newSize)) {
            crash.point("resize", "");
        }
    }

    /**
     * A namespace operation completed: {@code op} C (created {@code path}), R (renamed {@code path} to {@code to}),
     * O (renamed over a file that had the name), L (linked {@code path}'s file as {@code to} too) or U (unlinked
     * {@code path}); absolute paths. A crash point follows it.
     */
    public void namespace(char op, String path, String to) {
        if (crash.namespace(op, path, to)) {
            if (op == 'C') {
                // A created file is in crash states from its creation, empty, not only from its first map or write:
                // its size changes and syncs before those (setLength, an fsync, its directory's fsync) count too.
                FileId id = FileId.of(path);
                if (id != null) {
                    crash.writing(id, path, storage);
                }
            }
            crash.point(op == 'C' ? "create" : op == 'U' ? "unlink" : op == 'L' ? "link" : "rename", "");
        }
    }
}
