package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A writer thread fills two pages; the main thread then unmaps the buffer and closes the channel.
 * {@code hazard}: nobody forced. {@code correct}: the main thread forces before it unmaps.
 */
public final class UnmapUnsynced {
    private UnmapUnsynced() {
    }

    public static void main(String[] args) throws Exception {
        boolean correct = args[1].equals("correct");
        FileChannel ch = FileChannel.open(Path.of(args[0], "dropped.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2 * 4096); // site:map
        Thread writer = new Thread(() -> {
            map.putLong(0, 1L); // site:write
            map.putLong(4096, 2L); // site:write2
        }, "writer");
        writer.start();
        writer.join();
        if (correct) {
            map.force();
        }
        TruncateUnderMapping.unmap(map);
        ch.close(); // site:close
        System.out.println("unmapped and closed (" + args[1] + ")");
    }
}
