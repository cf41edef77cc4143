package dev.daxaudit.tools.crash;

import dev.daxaudit.core.CrashJournal;
import dev.daxaudit.core.report.Site;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a crash journal ({@link CrashJournal}) into its crash points, each with the durable image as of that point
 * (per file: size and the pages forces and fsyncs made durable) and the pages stored and not yet durable. A journal
 * cut short (the JVM was killed) keeps every point up to the cut.
 */
public final class CrashJournalReader {
    private CrashJournalReader() {
    }

    /** A file of the journal: its path in the run, and where its first-map content was copied. */
    public record AuditedFile(int index, String path, Path firstMapCopy) {
    }

    /** A page stored and not durable at a crash point, with its content then. */
    public record DirtyPage(int file, long pgoff, long storedAtNanos, Site site, byte[] content) {
    }

    /** The durable image of one file at a point. */
    public record Durable(long size, Map<Long, byte[]> pages) {
    }

    public record Point(int index, String kind, String label, Site site, String thread, Map<Integer, Durable> durable,
                 List<DirtyPage> dirty) {
        public String describe() {
            return (kind.equals("marker") ? "marker '" + label + "'" : kind.equals("exit") ? "exit"
                    : kind.equals("force") || kind.equals("fsync") ? "after " + kind
                    : kind.startsWith("before-") ? "before " + kind.substring("before-".length()) : "before " + kind)
                    + " at " + site + " on " + thread;
        }
    }

    public record Journal(List<AuditedFile> files, List<Point> points, boolean complete) {
    }

    public static Journal read(Path journal) throws IOException {
        List<AuditedFile> files = new ArrayList<>();
        List<Point> points = new ArrayList<>();
        Map<Integer, Long> sizes = new HashMap<>();
        Map<Integer, Map<Long, byte[]>> pages = new HashMap<>();
        boolean complete = false;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(journal)))) {
            int format = in.readInt();
            if (format != CrashJournal.FORMAT) {
                throw new IOException("crash journal format " + format + ", this version reads " + CrashJournal.FORMAT);
            }
            loop:
            while (true) {
                int record;
                try {
                    record = in.readUnsignedByte();
                } catch (EOFException e) {
                    break; // cut short: the points read so far stand
                }
                switch (record) {
                    case 'F' -> {
                        int n = in.readInt();
                        String path = in.readUTF();
                        sizes.put(n, in.readLong());
                        pages.put(n, new HashMap<>());
                        files.add(new AuditedFile(n, path, CrashJournal.copies(journal).resolve(Integer.toString(n))));
                    }
                    case 'D' -> {
                        int n = in.readInt();
                        long pgoff = in.readLong();
                        pages.get(n).put(pgoff, page(in));
                    }
                    case 'S' -> {
                        int n = in.readInt();
                        sizes.put(n, in.readLong());
                    }
                    case 'P' -> points.add(point(in, points.size(), sizes, pages));
                    case 'E' -> {
                        complete = true;
                        break loop;
                    }
                    default -> throw new IOException("corrupt crash journal: record type " + record);
                }
            }
        } catch (EOFException e) {
            // a record cut in the middle: the points before it stand
        }
        return new Journal(files, points, complete);
    }

    private static Point point(DataInputStream in, int index, Map<Integer, Long> sizes,
                               Map<Integer, Map<Long, byte[]>> pages) throws IOException {
        String kind = in.readUTF();
        String label = in.readUTF();
        Site site = site(in);
        String thread = in.readUTF();
        List<DirtyPage> dirty = new ArrayList<>();
        for (int file = in.readInt(); file >= 0; file = in.readInt()) {
            in.readLong(); // the size now: durable only as an msync or fsync made it, recorded with its pages
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                long pgoff = in.readLong();
                long nanos = in.readLong();
                Site storeSite = site(in);
                dirty.add(new DirtyPage(file, pgoff, nanos, storeSite, page(in)));
            }
        }
        dirty.sort((a, b) -> a.storedAtNanos() != b.storedAtNanos() ? Long.compare(a.storedAtNanos(), b.storedAtNanos())
                : a.file() != b.file() ? Integer.compare(a.file(), b.file()) : Long.compare(a.pgoff(), b.pgoff()));
        Map<Integer, Durable> durable = new HashMap<>();
        for (Map.Entry<Integer, Long> e : sizes.entrySet()) {
            durable.put(e.getKey(), new Durable(e.getValue(), new HashMap<>(pages.get(e.getKey()))));
        }
        return new Point(index, kind, label, site, thread, durable, dirty);
    }

    private static Site site(DataInputStream in) throws IOException {
        String className = in.readUTF();
        String method = in.readUTF();
        String fileName = in.readUTF();
        return new Site(className, method, fileName.isEmpty() ? null : fileName, in.readInt());
    }

    private static byte[] page(DataInputStream in) throws IOException {
        byte[] page = new byte[4096];
        in.readFully(page);
        return page;
    }
}
