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
import java.util.IdentityHashMap;
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
 * a file renamed or deleted while mapped is still read (a crash-test run holds one descriptor per audited file). A
 * file that cannot be read at all any more (its descriptor could not be opened, and its path is gone) has no pending
 * pages from then on: they are dropped from later states, never an error.
 *
 * <p>Namespace operations (create, rename, unlink) and every completed sync (msync, fdatasync, fsync, of an audited
 * file, another file or a directory) are recorded as facts, by absolute path, in program order: which of them a
 * crash keeps is the persistence model's question, answered by crash-test when it reads the journal.
 *
 * <p>Records, in a {@link DataOutputStream}: {@code F} file path size filesystem; {@code D} file pgoff page;
 * {@code S} file size; {@code Y} kind(m msync, d fdatasync, f fsync) path file(-1: not audited) changes(bits: 1 pages,
 * 2 size, 4 unknown) directory; {@code N} op(C create, R rename, U unlink) path to site thread; {@code P} kind label site
 * thread, then per file: file size count (pgoff nanos site page)*, ended by file -1; {@code E} at the end. Files are
 * numbered from 0 in the order first mapped; the first-map copy of file n is {@code <journal>.files/n}.
 */
public final class CrashJournal implements AutoCloseable {
    public static final int FORMAT = 2;
    private static final int PAGE = (int) Pages.PAGE_SIZE;

    private final Path path;
    private final DataOutputStream out;
    private final Map<AddressSpace, Integer> files = new IdentityHashMap<>();
    private final List<AddressSpace> order = new ArrayList<>();
    /** Each file's size as last made durable (first map, then each sync): whether a sync changed it. */
    private final Map<AddressSpace, Long> durableSizes = new IdentityHashMap<>();
    /** Each file's descriptor, opened at its first map; absent where it could not be opened. */
    private final Map<AddressSpace, RandomAccessFile> readers = new IdentityHashMap<>();
    private int points;
    /**
     * True while a record is being written: the journal's own file operations (the first-map copy, reading pages)
     * go through hooked JDK methods, and must not come back in as the program's.
     */
    private boolean busy;
    /** Closed at the exit report; the cleaner may still unmap buffers after it, which then records nothing. */
    private boolean closed;

    private CrashJournal(Path path) throws IOException {
        this.path = path;
        Files.createDirectories(copies(path));
        // A FileOutputStream, not a channel: the agent hooks channels, and must not see its own journal.
        out = new DataOutputStream(new BufferedOutputStream(new java.io.FileOutputStream(path.toFile())));
        out.writeInt(FORMAT);
    }

    public static CrashJournal open(Path path) throws IOException {
        return new CrashJournal(path);
    }

    /** The directory of the first-map copies of a journal's files. */
    public static Path copies(Path journal) {
        return Paths.get(journal + ".files");
    }

    /** The file of {@code space} was mapped: the first time, its content now is the durable starting point. */
    synchronized void mapped(AddressSpace space, long size) throws IOException {
        if (closed || files.containsKey(space)) {
            return;
        }
        int n = files.size();
        files.put(space, n);
        order.add(space);
        busy = true;
        try {
            SparseCopy.copy(Paths.get(space.path()), copies(path).resolve(Integer.toString(n))); // holes stay holes
        } finally {
            busy = false;
        }
        try {
            readers.put(space, new RandomAccessFile(space.path(), "r"));
        } catch (IOException e) {
            // out of descriptors: read by path at each point instead
        }
        out.writeByte('F');
        out.writeInt(n);
        out.writeUTF(space.path());
        out.writeLong(size);
        String fs = space.storage.filesystem();
        out.writeUTF(fs == null ? "" : fs);
        durableSizes.put(space, size);
    }

    /**
     * A completed sync of {@code kind} ({@code m} msync, {@code d} fdatasync, {@code f} fsync) made {@code pgoffs}
     * of the file durable, and its size {@code size}.
     */
    synchronized void durable(AddressSpace space, List<Long> pgoffs, long size, char kind) throws IOException {
        Integer n = files.get(space);
        if (closed || n == null) {
            return;
        }
        Long before = durableSizes.put(space, size);
        int changes = (pgoffs.isEmpty() ? 0 : 1) | (before == null || before != size ? 2 : 0);
        RandomAccessFile file = reader(space);
        if (file != null) {
            for (long pgoff : pgoffs) {
                out.writeByte('D');
                out.writeInt(n);
                out.writeLong(pgoff);
                out.write(page(file, pgoff));
            }
            release(space, file);
        }
        out.writeByte('S');
        out.writeInt(n);
        out.writeLong(size);
        sync(kind, space.path(), n, changes, false);
    }

    /** A completed sync of a file the journal does not audit, or of a directory; false if it was the journal's own. */
    synchronized boolean synced(String path, char kind, boolean directory) throws IOException {
        if (closed || busy || own(path)) {
            return false;
        }
        sync(kind, path, -1, 2, directory);
        return true;
    }

    /** The journal and its copies, which the journal's own writes create. */
    private boolean own(String file) {
        return file.equals(path.toString()) || file.startsWith(copies(path) + java.io.File.separator);
    }

    private void sync(char kind, String path, int file, int changes, boolean directory) throws IOException {
        out.writeByte('Y');
        out.writeByte(kind);
        out.writeUTF(path);
        out.writeInt(file);
        out.writeByte(changes);
        out.writeBoolean(directory);
    }

    /** A namespace operation done: {@code op} C (create), R (rename {@code path} to {@code to}) or U (unlink). */
    synchronized boolean namespace(char op, String path, String to, Event at) throws IOException {
        if (closed || busy || own(path)) {
            return false;
        }
        out.writeByte('N');
        out.writeByte(op);
        out.writeUTF(path);
        out.writeUTF(to == null ? "" : to);
        writeSite(at.site);
        out.writeUTF(at.thread);
        return true;
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
        for (AddressSpace space : order) {
            List<StoredPage> unsynced = space.unsyncedInStoreOrder();
            RandomAccessFile file = unsynced.isEmpty() ? null : reader(space);
            if (file == null) {
                unsynced = List.of(); // deleted and never opened: nothing of it can persist any more
            }
            out.writeInt(files.get(space));
            out.writeLong(space.size());
            out.writeInt(unsynced.size());
            for (StoredPage p : unsynced) {
                out.writeLong(p.pgoff);
                out.writeLong(p.first.nanos);
                writeSite(p.first.site);
                out.write(page(file, p.pgoff));
            }
            if (file != null) {
                release(space, file);
            }
        }
        out.writeInt(-1);
        out.flush(); // a JVM killed later still leaves every point up to here
        points++;
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
     * A reader of the file, or null when it cannot be read any more: its descriptor from the first map, else one
     * opened by path (given back by {@link #release}). A RandomAccessFile, never a FileChannel, whose close the agent
     * hooks (a crash point recorded at a close would then close a channel, and so on).
     */
    private RandomAccessFile reader(AddressSpace space) throws IOException {
        RandomAccessFile kept = readers.get(space);
        if (kept != null) {
            return kept;
        }
        try {
            return new RandomAccessFile(space.path(), "r");
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
    }

    /** Closes a reader {@link #reader} opened by path; the first map's stays open. */
    private void release(AddressSpace space, RandomAccessFile file) throws IOException {
        if (readers.get(space) != file) {
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
        for (RandomAccessFile reader : readers.values()) {
            reader.close();
        }
        readers.clear();
    }
}
