package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sample (d): a writer mapping and a separate syncer mapping of the same file, as a store with a background
 * flusher has. Stores go through one mapping, the force through the other: msync works on the file, so every
 * store is durable. Correct: no finding.
 */
public final class TwoMappings {
    private TwoMappings() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "shared.dat");
        try (FileChannel writerChannel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             FileChannel syncChannel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer writer = writerChannel.map(FileChannel.MapMode.READ_WRITE, 0, 8 * 4096);
            MappedByteBuffer syncer = syncChannel.map(FileChannel.MapMode.READ_WRITE, 0, 8 * 4096);
            for (int i = 0; i < 8 * 512; i++) {
                writer.putLong(i * 8, i);
            }
            syncer.force();
            System.out.println("wrote 8 pages through one mapping, forced through the other");
        }
    }
}
