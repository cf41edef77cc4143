package dev.daxaudit.core.hooks;

import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.FileId;
import dev.daxaudit.core.MappingMode;
import dev.daxaudit.core.PathSync;
import dev.daxaudit.core.RunningEngine;
import dev.daxaudit.core.Vfs;
import dev.daxaudit.core.VmaTable;
import dev.daxaudit.core.Writeback;
import java.io.File;
import java.io.FileDescriptor;
import java.nio.channels.FileChannel;

/**
 * What the advice inlined into the JDK calls: one static method per event, each a thin shim into the engine.
 * Every method catches everything, so an error in dax-audit is counted in the report and never reaches the
 * application. Lives on the boot class path: java.base code can only link to classes there.
 */
public final class Hooks {
    private static final DaxEngine ENGINE = RunningEngine.get();
    private static final VmaTable VMAS = ENGINE.vmaTable();
    private static final Vfs VFS = ENGINE.vfs();
    private static final boolean COUNT_BYTES = ENGINE.options().countStoredBytes();
    /* Failpoints (see Failpoints): constants, so a false one costs nothing once compiled. */
    private static final boolean FAIL_STORE = Failpoints.is("store");
    private static final boolean FAIL_MAP = Failpoints.is("map");
    private static final boolean FAIL_FORCE = Failpoints.is("force");
    private static final boolean FAIL_FSYNC = Failpoints.is("fsync");
    private static final boolean FAIL_UNMAP = Failpoints.is("unmap");
    private static final boolean FAIL_TRUNCATE = Failpoints.is("truncate");
    private static final boolean FAIL_CLOSE = Failpoints.is("close");
    private static final boolean SLOW_FSYNC = Failpoints.is("slow-fsync");
    private static final boolean SLOW_FORCE = Failpoints.is("slow-force");
    /* A FileChannelImpl's descriptor and path, for a transferTo into it (the boot module has java.base opened). */
    private static final jdk.internal.misc.Unsafe UNSAFE = jdk.internal.misc.Unsafe.getUnsafe();
    private static final long CHANNEL_FD = UNSAFE.objectFieldOffset(sun.nio.ch.FileChannelImpl.class, "fd");
    private static final long CHANNEL_PATH = UNSAFE.objectFieldOffset(sun.nio.ch.FileChannelImpl.class, "path");

    private Hooks() {
    }

    /*
     * Entry points for the bytecode the instrumentation inserts: each takes the intercepted method's arguments as
     * they are and decides here, so the inserted code has no branch of its own (and the JIT inlines these).
     */

    /** A single store of {@code width} bytes at {@code base}+{@code offset} landed; off-heap only if base is null. */
    public static void stored(Object base, long offset, int width) {
        if (base == null) {
            store(offset, width);
        }
    }

    /** A compare-and-set of {@code width} bytes at {@code base}+{@code offset} returned {@code stored}. */
    public static void storedIf(boolean stored, Object base, long offset, int width) {
        if (stored && base == null) {
            store(offset, width);
        }
    }

    /** A copy or fill of {@code bytes} bytes into {@code base}+{@code offset} landed. */
    public static void storedBulk(Object base, long offset, long bytes) {
        if (base == null) {
            storeBulk(offset, bytes);
        }
    }

    /** A store is about to go to {@code base}+{@code offset} (entry check, armed only after a truncate). */
    public static void storing(Object base, long offset, long bytes) {
        if (base == null) {
            beforeStore(offset, bytes);
        }
    }

    /** {@code FileChannelImpl.map} returned {@code result}: a MappedByteBuffer, or on 22+ a MemorySegment. */
    public static void mapped(Object result, long sizeBefore, FileChannel channel, FileDescriptor fd, String path,
                              Object mode, long position, long size) {
        try {
            if (result != null && size > 0) {
                long address = result instanceof sun.nio.ch.DirectBuffer ? ((sun.nio.ch.DirectBuffer) result).address()
                        : SegmentAddress.of(result);
                map(channel, fd, path, mode, position, size, address, sizeBefore);
            }
        } catch (Throwable t) {
            error("map", t);
        }
    }

    /** {@code MappedMemoryUtils.force(fd, address, isSync, index, length)} is starting. */
    public static Object forceStart(long address, boolean isSync, long index, long length) {
        return forceStart(address + index, length, isSync);
    }

    /** {@code FileChannelImpl.truncate} returned: the file has the channel's size now. */
    public static void truncated(FileChannel channel, FileDescriptor fd) {
        long size;
        try {
            size = channel.size();
        } catch (Throwable t) {
            return; // the channel is unusable; its file keeps whatever size the engine last saw
        }
        resized(fd, size);
    }

    /** An {@code Unmapper} is about to unmap {@code address} (0: nothing was mapped). */
    public static void unmapping(long address) {
        if (address != 0) {
            unmap(address);
        }
    }

    /** {@code java.lang.Shutdown.runHooks()} is starting: the heap held for the exit report is given back. */
    public static void shutdownStarting() {
        ExitReserve.release();
    }

    /**
     * {@code java.lang.Thread.exit()} is starting: a platform thread ends. With the heap nearly full, the reserve held
     * for the exit report is given back now: the thread's own exit and the shutdown after the last one need heap
     * before {@code Shutdown.runHooks} is reached. "Nearly full" is generous: less than twice the reserve, or a
     * sixteenth of the heap, free. The free heap the runtime reports includes space allocation cannot use (a
     * survivor space is about 3% of a serial collector's heap, as much as the reserve), and with the reserve itself
     * as the threshold JDK 25 still printed JPLIS assertion lines in RobustnessIT's last-bytes case. Giving it back
     * early only leaves a later shutdown as it would be without the agent. Native calls only: nothing here allocates.
     */
    public static void threadExiting() {
        long held = ExitReserve.held();
        if (held != 0) {
            Runtime runtime = Runtime.getRuntime();
            long free = runtime.maxMemory() - runtime.totalMemory() + runtime.freeMemory();
            if (free < Math.max(2 * held, runtime.maxMemory() / 16)) {
                ExitReserve.release();
            }
        }
    }

    /** The kernel read {@code read} bytes into {@code buffer}, ending at its position (a read into a mapping). */
    public static void readInto(int read, java.nio.ByteBuffer buffer) {
        try {
            if (read > 0 && buffer instanceof sun.nio.ch.DirectBuffer) {
                storeBulk(((sun.nio.ch.DirectBuffer) buffer).address() + buffer.position() - read, read);
            }
        } catch (Throwable t) {
            error("read", t);
        }
    }

    /** A store of {@code length} bytes (1 to 8) landed at off-heap {@code address}. The hot path. */
    public static void store(long address, int length) {
        try {
            if (FAIL_STORE) {
                Failpoints.fail("store");
            }
            VMAS.storeScalar(address, length, COUNT_BYTES);
        } catch (Throwable t) {
            error("store", t);
        }
    }

    /**
     * Called before every store, and does work only once a truncate has left some mapping reaching beyond its
     * file's end: then a store there is recorded before it faults (SIGBUS), which may end the JVM.
     */
    public static void beforeStore(long address, long length) {
        if (ENGINE.checksStoresBeyondEof()) {
            try {
                ENGINE.beforeStore(address, length);
            } catch (Throwable t) {
                error("beforeStore", t);
            }
        }
    }

    /** Size of the file behind {@code channel}, or -1: taken before a map, which may grow the file. */
    public static long sizeOf(FileChannel channel) {
        try {
            return channel.size();
        } catch (InternalError e) {
            throw e; // the JVM's, not the agent's: see InternalErrors.record
        } catch (Throwable t) {
            return -1;
        }
    }

    /** A bulk store (copy, fill, read from a file) of {@code length} bytes landed at {@code address}. */
    public static void storeBulk(long address, long length) {
        if (length > 0) {
            try {
                if (FAIL_STORE) {
                    Failpoints.fail("store");
                }
                VMAS.store(address, length, COUNT_BYTES);
            } catch (Throwable t) {
                error("storeBulk", t);
            }
        }
    }

    /** {@code FileChannel.map} returned a mapping of {@code size} bytes from {@code position}, at {@code address}. */
    public static void map(FileChannel channel, FileDescriptor fd, String path, Object mode, long position, long size,
                           long address, long sizeBefore) {
        try {
            if (FAIL_MAP) {
                Failpoints.fail("map");
            }
            MappingMode mappingMode = MappingMode.fromJdkName(String.valueOf(mode));
            if (mappingMode == null || size <= 0) {
                return;
            }
            String file = path == null ? null : new File(path).getAbsolutePath();
            ENGINE.map(FileIds.of(fd), file, mappingMode, address, size, position, sizeBefore, channel.size());
        } catch (Throwable t) {
            error("map", t);
        }
    }

    /** A force of {@code length} bytes at {@code address} is starting; returns what {@link #writebackEnd} takes. */
    public static Object forceStart(long address, long length, boolean cacheFlush) {
        try {
            if (FAIL_FORCE) {
                Failpoints.fail("force");
            }
            Writeback w = ENGINE.startForce(address, length, cacheFlush);
            if (SLOW_FORCE) {
                pause();
            }
            return w;
        } catch (Throwable t) {
            error("force", t);
            return null;
        }
    }

    /** An fsync of the file open on {@code fd} is starting; returns what {@link #writebackEnd} takes. */
    public static Object fsyncStart(FileDescriptor fd) {
        try {
            if (FAIL_FSYNC) {
                Failpoints.fail("fsync");
            }
            FileId id = audited(fd);
            if (id != null) {
                return ENGINE.startFsync(id);
            }
            // A file written through the write family, known to crash states by its descriptor only.
            return slow(VFS.recordsCrashStates() && fd.valid() ? VFS.startPathSync(FileIds.of(fd), null, false)
                    : null);
        } catch (Throwable t) {
            error("fsync", t);
            return null;
        }
    }

    /**
     * {@code FileChannelImpl.force(metaData)} is starting: an fsync, or an fdatasync without {@code metaData}, of the
     * channel's file ({@code path}, a directory's too). Returns what {@link #writebackEnd} takes.
     */
    public static Object fsyncStart(FileDescriptor fd, String path, boolean metaData) {
        try {
            if (FAIL_FSYNC) {
                Failpoints.fail("fsync");
            }
            FileId id = audited(fd);
            if (id != null) {
                return ENGINE.startFsync(id, !metaData);
            }
            if (!VFS.recordsCrashStates()) {
                return null;
            }
            return slow(VFS.startPathSync(fd.valid() ? FileIds.of(fd) : null,
                    path == null ? null : new File(path).getAbsolutePath(), !metaData));
        } catch (Throwable t) {
            error("fsync", t);
            return null;
        }
    }

    /** The {@code slow-fsync} failpoint: a started sync is held open for a second (tests only). */
    private static PathSync slow(PathSync sync) {
        if (SLOW_FSYNC) {
            pause();
        }
        return sync;
    }

    /** A second in the middle of a sync, for the {@code slow-fsync} and {@code slow-force} failpoints. */
    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The real flush behind {@link #forceStart} or {@link #fsyncStart} returned, or threw. */
    public static void writebackEnd(Object writeback, boolean completed) {
        if (writeback != null) {
            try {
                if (writeback instanceof PathSync) {
                    VFS.finishPathSync((PathSync) writeback, completed);
                    return;
                }
                ENGINE.finishWriteback((Writeback) writeback, completed);
            } catch (Throwable t) {
                error("writeback", t);
            }
        }
    }

    /** The mapping at page-aligned {@code address} is about to be unmapped. */
    public static void unmap(long address) {
        try {
            if (FAIL_UNMAP) {
                Failpoints.fail("unmap");
            }
            ENGINE.unmap(address);
        } catch (Throwable t) {
            error("unmap", t);
        }
    }

    /** The file open on {@code fd} now has {@code size} bytes (truncate, setLength). */
    public static void resized(FileDescriptor fd, long size) {
        try {
            if (FAIL_TRUNCATE) {
                Failpoints.fail("truncate");
            }
            FileId id = audited(fd);
            if (id != null) {
                ENGINE.resize(id, size);
            } else if (VFS.recordsCrashStates() && fd.valid()) {
                VFS.resizeWritten(FileIds.of(fd), size); // a file only written: its size is crash states' business
            }
        } catch (Throwable t) {
            error("resize", t);
        }
    }

    /** A channel of the file open on {@code fd} is being closed (its descriptor is still valid here). */
    public static void channelClosing(FileDescriptor fd) {
        try {
            if (FAIL_CLOSE) {
                Failpoints.fail("close");
            }
            FileId id = audited(fd);
            if (id != null) {
                ENGINE.channelClosed(id);
            }
        } catch (Throwable t) {
            error("close", t);
        }
    }

    /**
     * The file open on {@code fd} if the engine audits it, else null; null too for a closed descriptor (a call on a
     * closed channel, about to fail with ClosedChannelException), which has no file to name.
     */
    private static FileId audited(FileDescriptor fd) throws java.io.IOException {
        if (!fd.valid()) {
            return null;
        }
        FileId id = FileIds.of(fd);
        return ENGINE.knows(id) ? id : null;
    }

    /*
     * Namespace operations, hooked only when crash states are recorded (crash=): the name each file has in a crash
     * state depends on which of them a crash keeps.
     */

    /**
     * A file is about to be opened by name ({@code RandomAccessFile}, {@code FileOutputStream}: a String; NIO: a
     * Path, {@code dfd} -1 unless relative to a directory's descriptor): whether it exists already, so that
     * {@link #opened} can tell a creation. True (nothing to tell) when crash states are not recorded.
     */
    public static boolean opening(int dfd, Object name) {
        try {
            if (dfd != -1 || !VFS.recordsCrashStates()) {
                return true;
            }
            String path = absolute(name);
            return path == null || new File(path).exists();
        } catch (Throwable t) {
            error("open", t);
            return true;
        }
    }

    /** The open of {@code name} returned: a creation if the file did not exist before ({@code existed}). */
    public static void opened(boolean existed, int dfd, Object name) {
        if (!existed) {
            try {
                String path = absolute(name);
                if (path != null && new File(path).exists()) {
                    VFS.namespace('C', path, null);
                }
            } catch (Throwable t) {
                error("open", t);
            }
        }
    }

    /*
     * The write family: the pages a write(2) dirties are pending in the page cache until a sync, for crash states
     * (crash=) and for the unsynced findings of a file the program also maps. Before any file is mapped and without
     * crash states the entry hook returns after one volatile read.
     */

    /**
     * A write-family call is about to write through {@code stream} ({@code FileChannelImpl}, {@code RandomAccessFile}
     * or {@code FileOutputStream}) into the file open on {@code fd} ({@code path} as opened; null for a descriptor
     * without a name, such as standard output). Returns the file offset it writes at (the end of file in append
     * mode), or -1 when nothing is recorded.
     */
    public static long writing(Object stream, FileDescriptor fd, String path) {
        try {
            if (path == null || fd == null || !VFS.wantsWrites() || !fd.valid()) {
                return -1; // before any map and without crash states: one volatile read per write
            }
            FileId id = FileIds.of(fd);
            if (!VFS.wantsWrites(id)) {
                return -1;
            }
            VFS.writing(id, new File(path).getAbsolutePath());
            return offset(stream);
        } catch (java.io.IOException e) {
            return -1; // closed under the write, or no offset to read: nothing recorded, the write goes on as it was
        } catch (Throwable t) {
            error("write", t);
            return -1;
        }
    }

    /** The relative write that {@link #writing} saw start at {@code before} returned: it wrote up to the offset now. */
    public static void written(Object stream, FileDescriptor fd, long before) {
        if (before >= 0) {
            try {
                long after = offset(stream);
                if (after > before) {
                    VFS.written(FileIds.of(fd), before, after - before);
                }
            } catch (java.io.IOException e) {
                // closed by another thread as the write returned: its range is unknown, nothing recorded
            } catch (Throwable t) {
                error("write", t);
            }
        }
    }

    /**
     * An absolute write ({@code FileChannel.write(buffer, position)}, {@code transferFrom}) that {@link #writing} saw
     * start ({@code before} &gt;= 0) wrote {@code bytes} bytes at {@code position}.
     */
    public static void writtenAt(long bytes, FileDescriptor fd, long before, long position) {
        if (before >= 0 && bytes > 0) {
            try {
                VFS.written(FileIds.of(fd), position, bytes);
            } catch (Throwable t) {
                error("write", t);
            }
        }
    }

    /**
     * {@code FileChannel.transferTo(position, count, target)} is starting: into a file channel of the JDK's it is a
     * relative write of {@code target} (the JDK copies with copy_file_range or sendfile, past the target's own write
     * hooks). Returns the target's offset, or -1 when nothing is recorded (a socket, a pipe, another channel class).
     */
    public static long transferringTo(java.nio.channels.WritableByteChannel target) {
        try {
            if (!(target instanceof sun.nio.ch.FileChannelImpl)) {
                return -1;
            }
            return writing(target, (FileDescriptor) UNSAFE.getReference(target, CHANNEL_FD),
                    (String) UNSAFE.getReference(target, CHANNEL_PATH));
        } catch (Throwable t) {
            error("write", t);
            return -1;
        }
    }

    /** The transfer {@link #transferringTo} saw start at {@code before} returned: the target's offset moved. */
    public static void transferredTo(java.nio.channels.WritableByteChannel target, long before) {
        if (before >= 0) {
            written(target, (FileDescriptor) UNSAFE.getReference(target, CHANNEL_FD), before);
        }
    }

    /** The file offset of a write-family stream: where its next relative write goes. */
    private static long offset(Object stream) throws java.io.IOException {
        if (stream instanceof FileChannel) {
            return ((FileChannel) stream).position(); // the size in append mode, as FileChannelImpl says
        }
        if (stream instanceof java.io.RandomAccessFile) {
            return ((java.io.RandomAccessFile) stream).getFilePointer();
        }
        return ((java.io.FileOutputStream) stream).getChannel().position();
    }

    /**
     * A rename onto {@code to} is about to run: whether it replaces a file there (on ext4 that flushes the renamed
     * file's data before the rename commits). False when crash states are not recorded.
     */
    public static boolean renaming(Object to) {
        try {
            String target = VFS.recordsCrashStates() ? absolute(to) : null;
            return target != null && new File(target).isFile();
        } catch (Throwable t) {
            error("rename", t);
            return false;
        }
    }

    /** {@code Files.move(from, to)} returned: a rename (or a copy and delete, which ends the same way). */
    public static void moved(Object from, Object to, boolean replaced) {
        renamed(true, from, to, replaced);
    }

    /** {@code File.renameTo} returned {@code done}; {@code replaced}: a file had the target name before. */
    public static void renamed(boolean done, Object from, Object to, boolean replaced) {
        try {
            if (done && VFS.recordsCrashStates()) {
                String source = absolute(from);
                String target = absolute(to);
                if (source != null && target != null) {
                    VFS.namespace(replaced ? 'O' : 'R', source, target);
                }
            }
        } catch (Throwable t) {
            error("rename", t);
        }
    }

    /**
     * {@code Files.createLink(link, existing)} returned: {@code existing}'s file has the name {@code link} too (a hard
     * link, a new directory entry in {@code link}'s directory; POSIX persists it at that directory's fsync).
     */
    public static void linked(Object link, Object existing) {
        try {
            if (VFS.recordsCrashStates()) {
                String name = absolute(link);
                String file = absolute(existing);
                if (name != null && file != null) {
                    VFS.namespace('L', file, name);
                }
            }
        } catch (Throwable t) {
            error("link", t);
        }
    }

    /** {@code Files.delete} returned. */
    public static void deleted(Object path) {
        deleted(true, path);
    }

    /** {@code File.delete} or {@code Files.deleteIfExists} returned {@code done}. */
    public static void deleted(boolean done, Object path) {
        try {
            String file = done && VFS.recordsCrashStates() ? absolute(path) : null;
            if (file != null) {
                VFS.namespace('U', file, null);
            }
        } catch (Throwable t) {
            error("delete", t);
        }
    }

    /** A String, File or default-filesystem Path as an absolute path string; null for another file system's. */
    private static String absolute(Object name) {
        if (name instanceof File) {
            return ((File) name).getAbsolutePath();
        }
        if (name instanceof java.nio.file.Path) {
            java.nio.file.Path p = (java.nio.file.Path) name;
            if (p.getFileSystem() != java.nio.file.FileSystems.getDefault()) {
                return null; // a zip file system's entry, say: no file of the crash states
            }
            return new File(p.toString()).getAbsolutePath();
        }
        return new File(String.valueOf(name)).getAbsolutePath();
    }

    /** The application marked a crash point. */
    public static void crashPoint(String label) {
        try {
            ENGINE.crashPoint(String.valueOf(label));
        } catch (Throwable t) {
            error("crashPoint", t);
        }
    }

    /** Counts the agent's own error; the JVM's internal errors go on to the application (InternalErrors.record). */
    private static void error(String where, Throwable t) {
        if (t instanceof InternalError) {
            throw (InternalError) t;
        }
        try {
            ENGINE.errors().record(where, t);
        } catch (Throwable ignored) {
            // nothing left to do without risking the application
        }
    }
}
