package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sample (c): writes a 3-page batch, then forces only the first two pages, a classic off-by-one in a batch
 * commit. Page 2 is unsynced at exit.
 */
public final class PartialForceLog {
    private static final int PAGE = 4096;

    private PartialForceLog() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "partial.log");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * PAGE);
            byte[] batch = new byte[3 * PAGE - 100];
            java.util.Arrays.fill(batch, (byte) 7);
            map.put(batch); // site:batch
            map.force(0, 2 * PAGE); // the batch ends on page 2, the force stops at page 1
            System.out.println("wrote " + batch.length + " bytes, forced " + 2 * PAGE);
        } // site:close
    }
}
