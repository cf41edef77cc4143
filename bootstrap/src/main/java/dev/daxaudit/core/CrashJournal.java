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
 * <p>Records, in a {@link DataOutputStream}: {@code F} file path size; {@code D} file pgoff page; {@code S} file
 * size; {@code P} kind label site thread, then per file: file size count (pgoff nanos site page)*, ended by file -1;
 * {@code E} at the end. Files are numbered from 0 in the order first mapped; the first-map copy of file n is
 * {@code <journal>.files/n}.
 */
public final class CrashJournal implements AutoCloseable {
    public static final int FORMAT = 1;
    private static final int PAGE = (int) Pages.PAGE_SIZE;

    private final Path path;
    private final DataOutputStream out;
    private final Map<AddressSpace, Integer> files = new IdentityHashMap<>();
    private final List<AddressSpace> order = new ArrayList<>();
    /** Each file's descriptor, opened at its first map; absent where it could not be opened. */
    private final Map<AddressSpace, RandomAccessFile> readers = new IdentityHashMap<>();
    private int points;
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
        SparseCopy.copy(Paths.get(space.path()), copies(path).resolve(Integer.toString(n))); // holes stay holes
        try {
            readers.put(space, new RandomAccessFile(space.path(), "r"));
        } catch (IOException e) {
            // out of descriptors: read by path at each point instead
        }
        out.writeByte('F');
        out.writeInt(n);
        out.writeUTF(space.path());
        out.writeLong(size);
    }

    /** A completed force or fsync made {@code pgoffs} of the file durable; {@code size}: an fsync's, or -1. */
    synchronized void durable(AddressSpace space, List<Long> pgoffs, long size) throws IOException {
        Integer n = files.get(space);
        if (closed || n == null) {
            return;
        }
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
        if (size >= 0) {
            out.writeByte('S');
            out.writeInt(n);
            out.writeLong(size);
        }
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
