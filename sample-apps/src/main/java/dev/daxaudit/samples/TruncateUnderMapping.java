package dev.daxaudit.samples;

import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * H1. A writer thread maps a 4-page file and fills it; then the main thread shrinks the file to 2 pages.
 * {@code hazard}: the writer forced only pages 0-1 and its mapping is still live: pages 2-3 are cut off under it.
 * {@code correct}: the writer forces everything and unmaps before the shrink.
 */
public final class TruncateUnderMapping {
    private static final int PAGE = 4096;

    private TruncateUnderMapping() {
    }

    public static void main(String[] args) throws Exception {
        boolean correct = args[1].equals("correct");
        try (RandomAccessFile raf = new RandomAccessFile(Path.of(args[0], "shrunk.dat").toFile(), "rw")) {
            Thread writer = new Thread(() -> {
                try {
                    MappedByteBuffer map = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, 4 * PAGE); // site:map
                    for (int page = 0; page < 4; page++) {
                        map.putLong(page * PAGE, page); // site:write
                    }
                    map.force(0, correct ? 4 * PAGE : 2 * PAGE);
                    if (correct) {
                        unmap(map);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "writer");
            writer.start();
            writer.join();
            raf.setLength(2 * PAGE); // site:shrink
        }
        System.out.println("file shrunk to 2 pages (" + args[1] + ")");
    }

    static void unmap(MappedByteBuffer map) throws Exception {
        Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        ((sun.misc.Unsafe) theUnsafe.get(null)).invokeCleaner(map); // site:invokeCleaner
    }
}
