package dev.daxaudit.core;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Records what a crash would leave ({@code crash=<journal>}, for {@code crash-test}) from the engine's events: the
 * first-map content of each file, the pages each completed force or fsync made durable, and the crash points. Off
 * until {@link #start} is called; an I/O error of the journal is counted, never thrown into the application.
 */
final class CrashRecorder {
    private final InternalErrors errors;
    private final LongSupplier clock;
    private final FileTable files;
    private volatile CrashJournal journal;
    /**
     * Set on a thread while the agent does file I/O of its own (its instrumented-class cache, written while it
     * instruments the JDK): the namespace operations and writes it makes are none of the program's.
     */
    private final ThreadLocal<Boolean> agentIo = new ThreadLocal<>();

    CrashRecorder(InternalErrors errors, LongSupplier clock, FileTable files) {
        this.errors = errors;
        this.clock = clock;
        this.files = files;
    }

    void start(CrashJournal j) {
        journal = j;
    }

    /** The agent's own file I/O on this thread starts ({@code true}) or ends: nothing of it is recorded. */
    void agentIo(boolean on) {
        if (on) {
            agentIo.set(Boolean.TRUE);
        } else {
            agentIo.remove();
        }
    }

    private boolean program() {
        return agentIo.get() == null;
    }

    /** Whether crash points are recorded now: callers collect the kernel tracker's pages first only then. */
    boolean recording() {
        return journal != null;
    }

    /** The file of {@code space} was mapped; {@code sizeBefore} is its size before the map call. */
    void mapped(AddressSpace space, long sizeBefore) {
        CrashJournal j = journal;
        if (j != null) {
            try {
                j.mapped(space, Math.max(sizeBefore, 0)); // a growth by map() is not durable yet
            } catch (Throwable t) {
                errors.record("crash map", t);
            }
        }
    }

    /** ftruncate set the mapped file's size to {@code size} (see {@link CrashJournal#resized}). */
    void resized(AddressSpace space, long size) {
        CrashJournal j = journal;
        if (j != null) {
            try {
                j.resized(space, size, Event.here("resize", clock.getAsLong()));
            } catch (Throwable t) {
                errors.record("crash resize", t);
            }
        }
    }

    /** A file written through the write family got {@code size} by ftruncate; false if it is not journaled. */
    boolean resizedWritten(FileId id, long size) {
        CrashJournal j = journal;
        if (j != null && program()) {
            try {
                return j.resizedWritten(id, size, Event.here("resize", clock.getAsLong()));
            } catch (Throwable t) {
                errors.record("crash resize", t);
            }
        }
        return false;
    }

    /**
     * The msync or fsync {@code w} of a mapped file is starting: the pages dirty now in its range, stored through a
     * mapping or written through the write family (one page cache), are what it covers, as they are now; a page
     * stored or written again while it runs is pending again after it.
     */
    void writebackStarting(Writeback w) {
        CrashJournal j = journal;
        if (j != null) {
            try {
                w.covered = j.writebackStarting(w);
            } catch (Throwable t) {
                errors.record("crash writeback", t);
            }
        }
    }

    /**
     * The msync or fsync {@code w} completed, {@code durable} the pages it made durable (the file's size is durable
     * too), or threw ({@code durable} null: nothing is). An msync is {@code vfs_fsync_range(file, start, end,
     * datasync=1)}, fdatasync semantics: it persists the metadata needed to read the range back, the size and block
     * allocation included (ext4 commits a size change as part of the datasync transaction);
     * {@code FileChannel.force(false)} is fdatasync and {@code force(true)} and {@code FileDescriptor.sync()} fsync,
     * which persist at least as much.
     */
    void writebackEnded(Writeback w, List<Long> durable) {
        CrashJournal j = journal;
        if (j != null) {
            try {
                if (durable == null) {
                    j.syncFailed(w.covered);
                } else {
                    j.durable(w, durable, w.mapping.size(),
                            w.kind == Writeback.Kind.MSYNC ? 'm' : w.datasync ? 'd' : 'f');
                }
            } catch (Throwable t) {
                errors.record("crash writeback", t);
            }
        }
    }

    /**
     * A sync of a file the engine does not map, or of a directory, completed: a file written through the write family
     * gets its written pages durable; on ext4 any sync may commit the journal, and a directory's fsync persists its
     * entries, so crash-test needs it.
     */
    boolean synced(PathSync sync) {
        CrashJournal j = journal;
        if (j != null && program()) {
            try {
                return j.synced(sync, sync.path != null && new java.io.File(sync.path).isDirectory());
            } catch (Throwable t) {
                errors.record("crash sync", t);
            }
        }
        return false;
    }

    /** A sync of a file the engine does not map is starting: a file written through the write family is imaged. */
    void syncStarting(PathSync sync) {
        CrashJournal j = journal;
        if (j != null && sync.id != null && program()) {
            try {
                j.syncStarting(sync);
            } catch (Throwable t) {
                errors.record("crash sync", t);
            }
        }
    }

    /** The sync {@link #syncStarting} saw start threw. */
    void syncFailed(PathSync sync) {
        CrashJournal j = journal;
        if (j != null && sync.token != 0) {
            j.syncFailed(sync);
        }
    }

    /** The program is about to write file {@code id} ({@code path}) through the write family. */
    void writing(FileId id, String path, Storage.Probe storage) {
        CrashJournal j = journal;
        if (j != null && program()) {
            try {
                j.writing(id, path, storage);
            } catch (Throwable t) {
                errors.record("crash write", t);
            }
        }
    }

    /** {@code length} bytes were written at {@code position} of file {@code id} through the write family. */
    void written(FileId id, long position, long length) {
        CrashJournal j = journal;
        if (j != null && program()) {
            try {
                j.written(id, position, length, Event.here("write", clock.getAsLong()));
            } catch (Throwable t) {
                errors.record("crash write", t);
            }
        }
    }

    /**
     * A namespace operation done: {@code op} C (create), R (rename to {@code to}), O (rename over an existing file)
     * or U (unlink). False when nothing
     * was recorded (the journal's own files, or no journal).
     */
    boolean namespace(char op, String path, String to) {
        CrashJournal j = journal;
        if (j != null && program()) {
            try {
                return j.namespace(op, path, to, Event.here("namespace", clock.getAsLong()));
            } catch (Throwable t) {
                errors.record("crash namespace", t);
            }
        }
        return false;
    }

    /**
     * A crash point of {@code kind} here, if crash states are recorded. A crash state covers every file, so with the
     * kernel tracker every file's written pages are collected first.
     */
    void point(String kind, String label) {
        CrashJournal j = journal;
        if (j != null) {
            files.collectAll();
            try {
                j.point(kind, label, Event.here(kind, clock.getAsLong()));
            } catch (Throwable t) {
                errors.record("crash " + kind, t);
            }
        }
    }

    /** At the exit report: nothing after it is recorded (the cleaner may still unmap buffers). */
    void close() {
        CrashJournal j = journal;
        if (j != null) {
            journal = null;
            try {
                j.close();
            } catch (Throwable t) {
                errors.record("crash close", t);
            }
        }
    }
}
