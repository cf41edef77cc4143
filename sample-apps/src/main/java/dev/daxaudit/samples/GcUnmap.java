package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a page, closes the channel, drops the buffer and leaves the unmap to the garbage collector, as most
 * code does. The JDK's "mapped" buffer pool tells when the cleaner has unmapped it; the page is lost at that unmap.
 */
public final class GcUnmap {
    private GcUnmap() {
    }

    public static void main(String[] args) throws Exception {
        writeAndForget(Path.of(args[0], "forgotten.dat"));
        System.out.println(MappedPool.awaitAllUnmapped() ? "unmapped by the GC" : "still mapped after 20 s");
    }

    private static void writeAndForget(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            map.putLong(0, 1L); // site:write
        }
    }
}
