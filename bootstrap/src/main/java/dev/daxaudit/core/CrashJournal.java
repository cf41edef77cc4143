package dev.daxaudit.core;

import dev.daxaudit.core.report.Site;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a crash would leave ({@code crash=<journal>}), written as the program runs, for {@code crash-test} to
 * rebuild the files at every crash point. Per audited file: its content at first map (copied beside the journal,
 * taken as durable), then each page a completed force or fsync made durable, with its content at that moment
 * (read back from the file, which the page cache or DAX keeps coherent with the mapping), and the size it made
 * durable with them (an msync or fdatasync persists the size needed to read the data back, an fsync all metadata).
 * At each crash point: the pages stored and not yet durable, in the order they were first stored, with their content
 * now and the site that stored them.
 *
 * <p>Pages are read through a descriptor opened at the file's first map and kept open until the journal closes, so
 * a file renamed or deleted while mapped is still read (a crash-test run holds one descriptor per mapped file; a file
 * only written is read by path). A
 * file that cannot be read at all any more (its descriptor could not be opened, and its path is gone) has no pending
 * pages from then on: they are dropped from later states, never an error.
 *
 * <p>Namespace operations (create, rename, unlink) and every completed sync (msync, fdatasync, fsync, of an audited
 * file, another file or a directory) are recorded as facts, by absolute path, in program order: which of them a
 * crash keeps is the persistence model's question, answered by crash-test when it reads the journal.
 *
 * <p>Files written through the write family ({@code FileChannel.write}, {@code RandomAccessFile.write},
 * {@code FileOutputStream}) are journaled the same way from their first write (their content before it taken as
 * durable): each page written is pending until an fsync or fdatasync of the file, or an msync of a mapping of it over
 * that page, completes (one page cache). Such a sync covers the pages pending when it started, as they were then
 * (see {@link PathSync}): their images are journaled at its start and made durable when it returns.
 *
 * <p>Records, in a {@link DataOutputStream}: {@code F} file path size filesystem runs (first page, pages)* (the
 * pages of its first-sight copy that hold data; the rest of the copy is a hole, never read); {@code M} file (it was mapped);
 * {@code D} file pgoff page; {@code S} file size; {@code Y} kind(m msync, d fdatasync, f fsync) path file(-1: not
 * audited) changes(bits: 1 pages, 2 size, 4 unknown, 8 blocks allocated) directory; {@code N} op(C create, R rename,
 * O rename over an existing file, L link path as to, U unlink) path to site thread nanos; {@code B} sync file pgoff
 * page (the page as a sync of the write family started, durable only at its {@code K}); {@code K} sync (that sync
 * returned: its images are durable, then its {@code S} and {@code Y}); {@code T} file size site thread nanos (its size
 * set by ftruncate: a truncate, a growth by setLength or map()); {@code P} kind label site thread, then per
 * file: file size count (pgoff nanos site allocates page)*, ended by file -1; {@code E} at the end. Files are
 * numbered from 0 in the order first mapped or written; the first-sight copy of file n is {@code <journal>.files/n}.
 */
public final class CrashJournal implements AutoCloseable {
    public static final int FORMAT = 6;
    private static final int PAGE = (int) Pages.PAGE_SIZE;

    private final Path path;
    private final DataOutputStream out;
    private final FileExtents extents;
    private final Map<FileId, JournaledFile> files = new HashMap<>();
    private final List<JournaledFile> order = new ArrayList<>();
    /**
     * Files of no crash state: written on a pseudo filesystem ({@code /proc/sysrq-trigger}, sysfs), or with no name
     * when first written (unlinked while open, as {@code DELETE_ON_CLOSE} does at once on Linux).
     */
    private final java.util.Set<FileId> pseudo = new java.util.HashSet<>();
    private static final java.util.Set<String> PSEUDO_FILESYSTEMS = java.util.Set.of("proc", "sysfs", "devtmpfs",
            "devpts", "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "configfs", "pstore", "bpf", "mqueue",
            "fusectl");
    private int points;
    /** Syncs of files journaled through their writes started so far: the number of each one's page images. */
    private int syncs;
    /**
     * True while a record is being written: the journal's own file operations (the first-sight copy, reading pages)
     * go through hooked JDK methods, and must not come back in as the program's.
     */
    private boolean busy;
    /** Closed at the exit report; the cleaner may still unmap buffers after it, which then records nothing. */
    private boolean closed;

    private CrashJournal(Path path, FileExtents extents) throws IOException {
        this.path = path;
        this.extents = extents;
        Files.createDirectories(copies(path));
        // A FileOutputStream, not a channel: the agent hooks channels, and must not see its own journal.
        out = new DataOutputStream(new BufferedOutputStream(new java.io.FileOutputStream(path.toFile())));
        out.writeInt(FORMAT);
    }

    /** A journal whose first-sight copies read whole files. */
    public static CrashJournal open(Path path) throws IOException {
        return new CrashJournal(path, FileExtents.UNKNOWN);
    }

    /** A journal whose first-sight copies read only the ranges {@code extents} says may hold data. */
    public static CrashJournal open(Path path, FileExtents extents) throws IOException {
        return new CrashJournal(path, extents);
    }

    /** The directory of the first-sight copies of a journal's files. */
    public static Path copies(Path journal) {
        return Paths.get(journal + ".files");
    }

    /** The file of {@code space} was mapped: the first time it is seen, its content now is the durable start. */
    synchronized void mapped(AddressSpace space, long size) throws IOException {
        if (closed) {
            return;
        }
        JournaledFile f = files.get(space.id);
        if (f == null) {
            String fs = space.storage.crashFilesystem();
            f = firstSight(space.id, space.path(), size, fs == null ? "" : fs);
            f.dax = space.storage.model() == Storage.Model.DAX;
        }
        if (f.space == null) {
            f.space = space;
            out.writeByte('M');
            out.writeInt(f.index);
            // A mapped file keeps a descriptor, so that one deleted or renamed while mapped is still read; a file only
            // written is read by path (a program may write thousands: they must not cost it its descriptors).
            try {
                f.reader = new RandomAccessFile(space.path(), "r");
            } catch (IOException e) {
                // out of descriptors: read by path at each point instead
            }
        }
    }

    /**
     * The program is about to write {@code path} (file {@code id}) through the write family: the first time the file
     * is seen, its content now is the durable start, and {@code storage} names its filesystem.
     */
    synchronized void writing(FileId id, String path, Storage.Probe storage) throws IOException {
        if (closed || busy || files.containsKey(id) || pseudo.contains(id) || own(path)) {
            return;
        }
        if (!id.equals(FileId.of(path))) {
            pseudo.add(id); // its name is gone, or names another file now: a crash cannot leave it anywhere
            return;
        }
        Storage where = storage.of(id.device(), path);
        String fs = where.crashFilesystem();
        if (fs != null && PSEUDO_FILESYSTEMS.contains(fs)) {
            pseudo.add(id);
            return;
        }
        firstSight(id, path, new java.io.File(path).length(), fs == null ? "" : fs).dax =
                where.model() == Storage.Model.DAX;
    }

    /**
     * {@code length} bytes were written at {@code position} of file {@code id}: their pages are pending. On fs-dax a
     * page whose blocks were allocated is durable now (the write flushed it to the media); one that allocates is
     * pending still, as its new extent is metadata that waits for a commit.
     */
    synchronized void written(FileId id, long position, long length, Event at) throws IOException {
        JournaledFile f = files.get(id);
        if (closed || f == null || length <= 0 || position < 0) {
            return;
        }
        long first = Pages.pageOf(position);
        long last = Pages.pageOf(position + length - 1);
        // Not for a mapped file: the page read back would carry the mapping's stores, which the write did not flush.
        RandomAccessFile file = f.dax && f.space == null ? reader(f) : null;
        for (long pgoff = first; pgoff <= last; pgoff++) {
            if (file != null && pgoff <= Integer.MAX_VALUE && f.allocated.get((int) pgoff)
                    && !f.written.containsKey(pgoff)) {
                out.writeByte('D');
                out.writeInt(f.index);
                out.writeLong(pgoff);
                out.write(page(file, pgoff));
            } else {
                f.written.putIfAbsent(pgoff, at);
            }
            for (PathSync s : f.syncing) {
                if (s.covered.contains(pgoff)) {
                    s.rewritten.putIfAbsent(pgoff, at); // after the sync's image: pending again after it returns
                }
            }
        }
        if (file != null) {
            release(f, file);
        }
    }

    private JournaledFile firstSight(FileId id, String file, long size, String filesystem) throws IOException {
        java.util.BitSet data;
        busy = true;
        try {
            long[] ranges;
            try {
                ranges = extents.data(file);
            } catch (IOException | RuntimeException e) {
                ranges = null; // read it all
            }
            data = SparseCopy.copy(Paths.get(file), copies(path).resolve(Integer.toString(order.size())), ranges);
        } finally {
            busy = false;
        }
        JournaledFile f = new JournaledFile(order.size(), id, file, size);
        f.allocated = data;
        files.put(id, f);
        order.add(f);
        out.writeByte('F');
        out.writeInt(f.index);
        out.writeUTF(file);
        out.writeLong(size);
        out.writeUTF(filesystem);
        writeRuns(data);
        return f;
    }

    /** The pages of a first-sight copy that hold data, as runs: count, then (first page, pages) per run. */
    private void writeRuns(java.util.BitSet data) throws IOException {
        int runs = 0;
        for (int at = data.nextSetBit(0); at >= 0; at = data.nextSetBit(data.nextClearBit(at))) {
            runs++;
        }
        out.writeInt(runs);
        for (int at = data.nextSetBit(0); at >= 0; ) {
            int end = data.nextClearBit(at);
            out.writeLong(at);
            out.writeLong(end - at);
            at = data.nextSetBit(end);
        }
    }

    /**
     * Writeback {@code w} of a mapped file is starting: the pages dirty in its range now, stored through a mapping or
     * written through the write family, are what it covers, journaled as they are now (msync and fsync write back
     * the pages dirty at their call; a page dirtied again after its writeback is dirty again). Null when none is.
     */
    synchronized PathSync writebackStarting(Writeback w) throws IOException {
        JournaledFile f = files.get(w.mapping.id);
        if (closed || busy || f == null) {
            return null;
        }
        java.util.SortedSet<Long> covered = new java.util.TreeSet<>(w.mapping.dirtyIn(w.start, w.end));
        for (long pgoff : f.written.keySet()) {
            if (pgoff >= w.start && pgoff < w.end) {
                covered.add(pgoff);
            }
        }
        if (covered.isEmpty()) {
            return null;
        }
        PathSync sync = new PathSync(w.mapping.id, null, w.datasync);
        sync.covered = covered;
        sync.token = ++syncs;
        images(f, sync, reader(f));
        f.syncing.add(sync);
        return sync;
    }

    /** The B records: the pages {@code sync} covers as they are at its start, under its token; releases reader. */
    private void images(JournaledFile f, PathSync sync, RandomAccessFile reader) throws IOException {
        if (reader != null) {
            for (long pgoff : sync.covered) {
                out.writeByte('B');
                out.writeInt(sync.token);
                out.writeInt(f.index);
                out.writeLong(pgoff);
                out.write(page(reader, pgoff));
            }
            release(f, reader);
        }
    }

    /**
     * Writeback {@code w} of a mapped file completed, with the file's {@code size}: the pages it covered are durable
     * as they were at its start. A covered page written again while it ran stays pending with that write (one stored
     * into again stays in the data truth's unsynced pages). {@code pgoffs}, the data truth's durable pages, are what
     * it made durable when nothing was journaled at its start.
     */
    synchronized void durable(Writeback w, List<Long> pgoffs, long size, char kind) throws IOException {
        JournaledFile f = files.get(w.mapping.id);
        if (closed || f == null) {
            return;
        }
        PathSync sync = w.covered;
        if (sync == null || !f.syncing.remove(sync)) {
            java.util.SortedSet<Long> pages = new java.util.TreeSet<>(pgoffs);
            f.written.keySet().removeAll(pages);
            sync(f, pages, size, kind);
            return;
        }
        settled(f, sync);
        int changes = changes(f, sync.covered, size);
        durable(f, sync.covered, size);
        out.writeByte('K');
        out.writeInt(sync.token);
        sized(f, size, kind, changes);
    }

    /** The pages {@code sync} covered are no longer pending, but for those written again while it ran. */
    private static void settled(JournaledFile f, PathSync sync) {
        for (long pgoff : sync.covered) {
            Event again = sync.rewritten.get(pgoff);
            if (again == null) {
                f.written.remove(pgoff);
            } else {
                f.written.put(pgoff, again);
            }
        }
    }

    /**
     * An fsync or fdatasync of a file journaled through its writes ({@code sync.id}) is starting: the pages pending
     * now are what it covers, journaled as they are now, with the size now.
     */
    synchronized void syncStarting(PathSync sync) throws IOException {
        JournaledFile f = sync.id == null ? null : files.get(sync.id);
        if (closed || busy || f == null || f.space != null) {
            return;
        }
        RandomAccessFile reader = reader(f);
        sync.size = reader == null ? f.durableSize : reader.length();
        sync.covered = new java.util.TreeSet<>(f.written.keySet());
        sync.token = ++syncs;
        images(f, sync, reader);
        f.syncing.add(sync);
    }

    /** The sync {@link #syncStarting} saw start threw: it made nothing durable. */
    synchronized void syncFailed(PathSync sync) {
        JournaledFile f = sync == null || sync.id == null ? null : files.get(sync.id);
        if (f != null) {
            f.syncing.remove(sync);
        }
    }

    /**
     * A completed fsync or fdatasync ({@code sync.datasync}) of {@code sync.path}, file {@code sync.id} (null if
     * unknown), that the engine does not map. A file journaled through its writes gets the pages it covered durable
     * with their images from its start, and the size then; a page written again while it ran stays pending. Any other
     * file or a directory is recorded as a sync only. False if it was the journal's own.
     */
    synchronized boolean synced(PathSync sync, boolean directory) throws IOException {
        String path = sync.path;
        char kind = sync.datasync ? 'd' : 'f';
        if (closed || busy || (path != null && own(path))) {
            return false;
        }
        JournaledFile f = sync.id == null ? null : files.get(sync.id);
        if (f != null && f.syncing.remove(sync)) {
            settled(f, sync);
            int changes = changes(f, sync.covered, sync.size);
            durable(f, sync.covered, sync.size);
            out.writeByte('K');
            out.writeInt(sync.token);
            sized(f, sync.size, kind, changes);
            return true;
        }
        if (f != null && f.space == null) {
            // First written while the sync ran: nothing it covers was pending, and what came later is not covered.
            writeSync(kind, f.currentPath, f.index, 0, false);
            return true;
        }
        if (f != null) {
            RandomAccessFile reader = reader(f);
            long size = reader == null ? f.durableSize : reader.length();
            if (reader != null) {
                release(f, reader);
            }
            sync(f, new java.util.TreeSet<>(f.written.keySet()), size, kind);
            f.written.clear();
            return true;
        }
        if (path == null) {
            return false;
        }
        writeSync(kind, path, -1, 2, directory);
        return true;
    }

    private void sync(JournaledFile f, java.util.SortedSet<Long> pgoffs, long size, char kind) throws IOException {
        int changes = changes(f, pgoffs, size);
        durable(f, pgoffs, size);
        RandomAccessFile file = reader(f);
        if (file != null) {
            for (long pgoff : pgoffs) {
                out.writeByte('D');
                out.writeInt(f.index);
                out.writeLong(pgoff);
                out.write(page(file, pgoff));
            }
            release(f, file);
        }
        sized(f, size, kind, changes);
    }

    /** What a sync of {@code pgoffs} and {@code size} changes on disk: the {@code Y} record's bits. */
    private static int changes(JournaledFile f, java.util.Set<Long> pgoffs, long size) {
        int changes = (pgoffs.isEmpty() ? 0 : 1) | (f.durableSize != size ? 2 : 0);
        for (long pgoff : pgoffs) {
            if (pgoff > Integer.MAX_VALUE || !f.allocated.get((int) pgoff)) {
                changes |= 8; // its writeback allocates blocks
            }
        }
        return changes;
    }

    /** The pages and the size are durable now: their blocks are allocated. */
    private static void durable(JournaledFile f, java.util.Set<Long> pgoffs, long size) {
        for (long pgoff : pgoffs) {
            if (pgoff <= Integer.MAX_VALUE) {
                f.allocated.set((int) pgoff);
            }
        }
        f.durableSize = size;
    }

    /** The {@code S} and {@code Y} records that end a file's sync. */
    private void sized(JournaledFile f, long size, char kind, int changes) throws IOException {
        out.writeByte('S');
        out.writeInt(f.index);
        out.writeLong(size);
        writeSync(kind, f.space != null ? f.space.path() : f.currentPath, f.index, changes, false);
    }

    /**
     * The journal and its copies, which the journal's own writes create (a write of the journal's own stream must
     * never come back in as a file of the program: it would write a record in the middle of the one being flushed).
     */
    private boolean own(String file) {
        String absolute = Paths.get(file).toAbsolutePath().normalize().toString();
        Path journal = path.toAbsolutePath().normalize();
        return absolute.equals(journal.toString()) || absolute.startsWith(copies(journal) + java.io.File.separator);
    }

    private void writeSync(char kind, String path, int file, int changes, boolean directory) throws IOException {
        out.writeByte('Y');
        out.writeByte(kind);
        out.writeUTF(path);
        out.writeInt(file);
        out.writeByte(changes);
        out.writeBoolean(directory);
    }

    /**
     * A namespace operation done: {@code op} C (create), R (rename {@code path} to {@code to}), O (the same, over a file
     * that had the name), L (hard link: {@code path}'s file named {@code to} too) or U (unlink).
     */
    synchronized boolean namespace(char op, String path, String to, Event at) throws IOException {
        if (closed || busy || own(path)) {
            return false;
        }
        if (op == 'O' || op == 'U') {
            // The name is gone. A file that had no other name is gone too (once closed): its inode number may come
            // back for a new file, which must be journaled as new, not taken for it. A mapped file stays the
            // engine's by its identity; a file with another link lives on under that name.
            String gone = op == 'O' ? to : path;
            for (java.util.Iterator<JournaledFile> it = files.values().iterator(); it.hasNext(); ) {
                JournaledFile f = it.next();
                if (f.otherNames.remove(gone)) {
                    continue;
                }
                if (gone.equals(f.currentPath)) {
                    if (!f.otherNames.isEmpty()) {
                        f.currentPath = f.otherNames.remove(0);
                    } else if (f.space == null) {
                        it.remove();
                    }
                }
            }
        }
        for (JournaledFile f : order) {
            if (op == 'L' && (path.equals(f.currentPath) || f.otherNames.contains(path))) {
                f.otherNames.add(to);
            } else if (op == 'R' || op == 'O') {
                if (path.equals(f.currentPath)) {
                    f.currentPath = to;
                }
                f.otherNames.replaceAll(name -> name.equals(path) ? to : name);
            }
        }
        out.writeByte('N');
        out.writeByte(op);
        out.writeUTF(path);
        out.writeUTF(to == null ? "" : to);
        writeSite(at.site);
        out.writeUTF(at.thread);
        out.writeLong(at.nanos);
        return true;
    }

    /**
     * The size of a mapped file was set to {@code size} by ftruncate (truncate, setLength, a growth by map()):
     * journaled metadata ({@code ext4_setattr} updates i_disksize in a handle), which a journal commit persists
     * whatever file's sync causes it; POSIX promises it only at a sync of the file.
     */
    synchronized void resized(AddressSpace space, long size, Event at) throws IOException {
        JournaledFile f = files.get(space.id);
        if (closed || f == null) {
            return;
        }
        writeResize(f, size, at);
    }

    /**
     * File {@code id}, journaled through its writes and not mapped, got {@code size} by ftruncate: the pages wholly
     * past it are gone from the page cache ({@code truncate_pagecache}), so no longer pending, and their blocks are
     * freed (a later write there allocates again). False when the file is not journaled this way.
     */
    synchronized boolean resizedWritten(FileId id, long size, Event at) throws IOException {
        JournaledFile f = files.get(id);
        if (closed || busy || f == null || f.space != null) {
            return false;
        }
        long firstGone = Pages.pagesFor(size);
        f.written.keySet().removeIf(pgoff -> pgoff >= firstGone);
        for (PathSync s : f.syncing) {
            s.rewritten.keySet().removeIf(pgoff -> pgoff >= firstGone);
        }
        if (firstGone <= Integer.MAX_VALUE) {
            f.allocated.clear((int) firstGone, Math.max((int) firstGone, f.allocated.length()));
        }
        writeResize(f, size, at);
        return true;
    }

    /** The T record: file {@code f} got {@code size} (ftruncate), at a site on a thread. */
    private void writeResize(JournaledFile f, long size, Event at) throws IOException {
        out.writeByte('T');
        out.writeInt(f.index);
        out.writeLong(size);
        writeSite(at.site);
        out.writeUTF(at.thread);
        out.writeLong(at.nanos);
    }

    /** A crash point: {@code kind} (force, fsync, unmap, close, truncate, exit, marker) done or about to be. */
    synchronized void point(String kind, String label, Event at) throws IOException {
        if (closed) {
            return;
        }
        out.writeByte('P');
        out.writeUTF(kind);
        out.writeUTF(label);
        writeSite(at.site);
        out.writeUTF(at.thread);
        for (JournaledFile f : order) {
            Map<Long, Event> pending = pending(f);
            RandomAccessFile file = pending.isEmpty() ? null : reader(f);
            if (file == null) {
                pending = Map.of(); // deleted and never opened: nothing of it can persist any more
            }
            out.writeInt(f.index);
            out.writeLong(f.space != null ? f.space.size() : length(f));
            out.writeInt(pending.size());
            for (Map.Entry<Long, Event> p : pending.entrySet()) {
                long pgoff = p.getKey();
                out.writeLong(pgoff);
                out.writeLong(p.getValue().nanos);
                writeSite(p.getValue().site);
                out.writeBoolean(pgoff > Integer.MAX_VALUE || !f.allocated.get((int) pgoff)); // its writeback allocates
                out.write(page(file, pgoff));
            }
            if (file != null) {
                release(f, file);
            }
        }
        out.writeInt(-1);
        out.flush(); // a JVM killed later still leaves every point up to here
        points++;
    }

    /** The size of a file the program writes through the write family, as it is now (its durable size if unreadable). */
    private long length(JournaledFile f) throws IOException {
        RandomAccessFile file = reader(f);
        if (file == null) {
            return f.durableSize;
        }
        long length = file.length();
        release(f, file);
        return length;
    }

    /**
     * The file's pages not yet durable with the first store or write into each: the mapping's stores, then the
     * pages written through the write family that no store touched.
     */
    private static Map<Long, Event> pending(JournaledFile f) {
        Map<Long, Event> pending = new LinkedHashMap<>();
        if (f.space != null) {
            for (StoredPage p : f.space.unsyncedInStoreOrder()) {
                pending.put(p.pgoff, p.first);
            }
        }
        for (Map.Entry<Long, Event> w : f.written.entrySet()) {
            Event stored = pending.get(w.getKey());
            if (stored == null || w.getValue().nanos < stored.nanos) {
                pending.put(w.getKey(), w.getValue()); // the page's first store or write
            }
        }
        return pending;
    }

    /** A site as class, method, source file ("" if unknown) and line. */
    private void writeSite(Site site) throws IOException {
        out.writeUTF(site.className());
        out.writeUTF(site.method());
        out.writeUTF(site.fileName() == null ? "" : site.fileName());
        out.writeInt(site.line());
    }

    synchronized int points() {
        return points;
    }

    /**
     * A reader of the file, or null when it cannot be read any more: its descriptor from the first sight, else one
     * opened by path (given back by {@link #release}). A RandomAccessFile, never a FileChannel, whose close the agent
     * hooks (a crash point recorded at a close would then close a channel, and so on).
     */
    private RandomAccessFile reader(JournaledFile f) throws IOException {
        if (f.reader != null) {
            return f.reader;
        }
        try {
            return new RandomAccessFile(f.space != null ? f.space.path() : f.currentPath, "r");
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
    }

    /** Closes a reader {@link #reader} opened by path; the first sight's stays open. */
    private void release(JournaledFile f, RandomAccessFile file) throws IOException {
        if (f.reader != file) {
            file.close();
        }
    }

    /** Page {@code pgoff} of {@code file}, zeros beyond its end. */
    public static byte[] page(RandomAccessFile file, long pgoff) throws IOException {
        byte[] page = new byte[PAGE];
        long at = pgoff << Pages.PAGE_SHIFT;
        if (at < file.length()) {
            file.seek(at);
            int read = 0;
            for (int n; read < PAGE && (n = file.read(page, read, PAGE - read)) > 0; ) {
                read += n;
            }
        }
        return page; // beyond end of file: zeros
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.writeByte('E');
        out.close();
        for (JournaledFile f : order) {
            if (f.reader != null) {
                f.reader.close();
                f.reader = null;
            }
        }
    }
}
