package dev.daxaudit.samples;

import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A log segment preallocated the way brokers and stores preallocate theirs: {@code setLength} to args[1] GiB (a
 * sparse file, nothing allocated), a header written and fsynced, then a 1 MiB window in the middle mapped and four
 * records stored and forced there one by one. Prints {@code rchar N}, the bytes this JVM read ({@code /proc/self/io}):
 * under {@code crash=} the journal copies a segment an earlier run left at its first sight (one this run creates is
 * copied at its creation, empty), and where it can ask the filesystem for its extents ({@code SEEK_DATA}) it reads
 * two pages of it, not gigabytes of holes.
 */
public final class SparseSegment {
    static final int RECORDS = 4;

    private SparseSegment() {
    }

    public static void main(String[] args) throws Exception {
        long length = Long.parseLong(args[1]) << 30;
        Path file = Path.of(args[0], "seg.dat");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
            raf.write("SEG1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            raf.getFD().sync();
            MappedByteBuffer window = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, length / 2, 1 << 20);
            for (int i = 0; i < RECORDS; i++) {
                window.putLong(i * 4096, i + 1);
                window.force(i * 4096, 4096);
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("rchar:")) {
                System.out.println("rchar " + line.substring("rchar:".length()).strip());
            }
        }
    }
}
