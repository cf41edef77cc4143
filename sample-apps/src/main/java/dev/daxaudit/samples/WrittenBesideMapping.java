package dev.daxaudit.samples;

import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file written both ways, as stores that map their data and write their headers or appends do: records stored
 * through a mapping of pages 0-3, the header written into page 0 with {@code FileChannel.write} and made durable by
 * the mapping's {@code force()} (one page cache: the msync writes back what write(2) dirtied in its range), then a
 * record written into page 2 with {@code RandomAccessFile.write} and one appended as page 4 with a
 * {@code FileOutputStream}, past the mapping. Nothing syncs those two, which are exactly the
 * unsynced pages. With {@code -Dwritten.synced=true}: {@code FileChannel.force(false)} (fdatasync) at the end; no
 * finding.
 */
public final class WrittenBesideMapping {
    private static final int PAGE = 4096;

    private WrittenBesideMapping() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "mixed.dat");
        boolean synced = Boolean.getBoolean("written.synced");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * PAGE);
            map.putLong(PAGE, 1);
            ch.write(ByteBuffer.wrap(new byte[] {'H', 'D', 'R', '1'}), 0); // site:write-header
            map.force();
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(2 * PAGE);
                raf.write(new byte[] {2}); // site:write-raf
            }
            try (FileOutputStream append = new FileOutputStream(file.toFile(), true)) {
                append.write(new byte[PAGE]); // site:write-append
            } // site:append-closed
            if (synced) {
                ch.force(false);
            }
            System.out.println("mixed.dat: 5 pages, " + (synced ? "fdatasynced" : "two of them never synced"));
        }
    }
}
