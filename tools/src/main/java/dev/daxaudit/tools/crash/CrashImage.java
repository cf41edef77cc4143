package dev.daxaudit.tools.crash;

import dev.daxaudit.tools.crash.CrashJournalReader.AuditedFile;
import dev.daxaudit.tools.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.tools.crash.CrashJournalReader.Durable;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashStates.State;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a crash state into a directory: each audited file under the name it has in that state (under each, hard
 * linked, where links gave it several), relative to the directory that holds every name it had, as its first-map
 * content, with the durable pages and the state's persisted pages written over it, cut or extended to its durable
 * size.
 */
public final class CrashImage {
    private CrashImage() {
    }

    /** The deepest directory holding every path an audited file had: the image keeps their paths below it. */
    public static Path root(List<String> paths) {
        Path root = null;
        for (String path : paths) {
            Path parent = Paths.get(path).getParent();
            if (root == null) {
                root = parent;
            }
            while (!parent.startsWith(root)) {
                root = root.getParent();
            }
        }
        return root;
    }

    /**
     * Writes {@code state} into {@code dir}: each audited file under each name it has in the state (the namespace
     * operations it persisted), relative to {@code root}, with its durable content and the pages the state persisted.
     */
    public static void write(State state, Journal journal, Path root, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<Integer, Path> written = new java.util.HashMap<>(); // a file with several names (hard links): one inode
        for (Map.Entry<String, Integer> name : journal.names(state.persistedOps()).entrySet()) {
            AuditedFile f = journal.files().get(name.getValue());
            Durable durable = state.point().durable().get(f.index());
            Path path = Paths.get(name.getKey());
            if (durable == null || !path.startsWith(root)) {
                continue; // mapped only after this point, or named outside the crashed tree
            }
            Path target = dir.resolve(root.relativize(path).toString());
            Files.createDirectories(target.getParent());
            Path first = written.putIfAbsent(f.index(), target);
            if (first != null) {
                Files.createLink(target, first); // a check that writes through one name sees it through the other
                continue;
            }
            try (FileChannel out = FileChannel.open(target, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                copyData(f, out);
                for (Map.Entry<Long, byte[]> page : durable.pages().entrySet()) {
                    writePage(out, page.getKey(), page.getValue());
                }
                for (DirtyPage page : state.persistedPages()) {
                    if (page.file() == f.index()) {
                        writePage(out, page.pgoff(), page.content());
                    }
                }
                CrashStates.Torn torn = state.torn();
                DirtyPage tornPage = torn == null ? null : state.point().dirty().get(torn.index());
                if (tornPage != null && tornPage.file() == f.index()) {
                    writePage(out, tornPage.pgoff(), torn.content());
                }
            }
            try (RandomAccessFile sized = new RandomAccessFile(target.toFile(), "rw")) {
                sized.setLength(size(state, journal, f.index(), durable.size()));
            }
        }
    }

    /**
     * The size file {@code file} has in {@code state}: the durable one (a size change no msync or fsync persisted is
     * lost with the crash), except under ext4: a size change by ftruncate the state keeps (a pending operation
     * committed with those before it) sets it, and a pending rename over another file of it that the state keeps
     * flushed it first (auto_da_alloc), so its size as the program saw it persisted with the rename.
     */
    static long size(State state, Journal journal, int file, long durable) {
        long size = durable;
        if (journal.persistence() == Persistence.EXT4) {
            for (CrashJournalReader.NamespaceOp op : state.pendingOps(true)) {
                Long now = state.point().sizes().get(file);
                if (op.replaces() && op.file() == file && now != null && now > durable) {
                    return now;
                }
                if (op.type() == 'T' && op.file() == file) {
                    size = op.size(); // committed with the operations before it (the commit timer, another sync)
                }
            }
        }
        return size;
    }

    /**
     * The durable content of page {@code pgoff} of {@code file} at {@code point}: the last force's or fsync's copy,
     * else the first-map copy (zeros beyond its end).
     */
    public static byte[] durablePage(CrashJournalReader.Point point, AuditedFile file, long pgoff) throws IOException {
        Durable durable = point.durable().get(file.index());
        byte[] page = durable == null ? null : durable.pages().get(pgoff);
        if (page != null) {
            return page;
        }
        if (!file.holdsData(pgoff)) {
            return new byte[4096];
        }
        try (RandomAccessFile copy = new RandomAccessFile(file.firstMapCopy().toFile(), "r")) {
            return dev.daxaudit.core.CrashJournal.page(copy, pgoff);
        }
    }

    /**
     * The first-map copy's data pages, the only ones read: the rest of it is zeros, left a hole, so a state of a
     * 10 GiB preallocated file costs its data in time and on disk, like the application's file.
     */
    private static void copyData(AuditedFile file, FileChannel out) throws IOException {
        long[] runs = file.dataRuns();
        if (runs.length == 0) {
            return;
        }
        try (FileChannel in = FileChannel.open(file.firstMapCopy())) {
            for (int r = 0; r + 1 < runs.length; r += 2) {
                long at = runs[r] << 12;
                long end = at + (runs[r + 1] << 12);
                while (at < end) {
                    long n = in.transferTo(at, end - at, out.position(at));
                    if (n <= 0) {
                        break; // the copy ends inside its last page
                    }
                    at += n;
                }
            }
        }
    }

    /** Deletes a state's directory (or any file or tree), as a state that passed leaves nothing behind. */
    public static void delete(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static void writePage(FileChannel out, long pgoff, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        long at = pgoff << 12;
        while (buffer.hasRemaining()) {
            out.write(buffer, at + buffer.position());
        }
    }
}
