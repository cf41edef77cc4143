package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A one-page file is mapped at 3 pages, so map() grows it; a store lands in page 2, a block the fault
 * allocates. {@code hazard}: no force, so neither the data nor the block allocation is durable.
 * {@code correct}: the store is forced.
 */
public final class GrowWithoutSync {
    private GrowWithoutSync() {
    }

    public static void main(String[] args) throws Exception {
        boolean correct = args[1].equals("correct");
        Path file = Path.of(args[0], "grown.dat");
        java.nio.file.Files.write(file, new byte[4096]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 3 * 4096); // site:map
            map.putLong(2 * 4096, 7L); // site:write
            if (correct) {
                map.force();
            }
            System.out.println("grew the file by mapping it (" + args[1] + ")");
        } // site:close
    }
}
