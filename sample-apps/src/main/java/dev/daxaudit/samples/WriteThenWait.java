package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stores into a mapped page without forcing, says {@code written}, then waits to be killed: for the tests of what
 * the report does on SIGTERM, SIGINT and SIGKILL.
 */
public final class WriteThenWait {
    private WriteThenWait() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "waiting.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            map.putLong(0, 42L); // site:write
            System.out.println("written");
            System.out.flush();
            Thread.sleep(600_000);
        }
    }
}
