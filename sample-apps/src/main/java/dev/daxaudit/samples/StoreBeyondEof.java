package dev.daxaudit.samples;

import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * H2. A 2-page mapping; another thread shrinks the file to 1 page; then the writer stores.
 * {@code hazard}: the store goes to page 1, beyond the new end: SIGBUS, which the JVM turns into an InternalError.
 * {@code correct}: the mapping is forced and unmapped before the shrink, and the file is mapped again at its new
 * size for the store.
 */
public final class StoreBeyondEof {
    private static final int PAGE = 4096;

    private StoreBeyondEof() {
    }

    public static void main(String[] args) throws Exception {
        boolean correct = args[1].equals("correct");
        try (RandomAccessFile raf = new RandomAccessFile(Path.of(args[0], "eof.dat").toFile(), "rw")) {
            MappedByteBuffer map = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, 2 * PAGE); // site:map
            if (correct) {
                map.force();
                TruncateUnderMapping.unmap(map);
            }
            Thread shrinker = new Thread(() -> {
                try {
                    raf.setLength(PAGE); // site:shrink
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "shrinker");
            shrinker.start();
            shrinker.join();
            int offset = PAGE;
            if (correct) {
                map = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, raf.length());
                offset = (int) raf.length() - 8;
            }
            try {
                map.putLong(offset, 42L); // site:store
                map.force(0, PAGE);
                System.out.println("stored below the end of file");
            } catch (InternalError e) {
                System.out.println("the store faulted: InternalError");
            }
        }
    }
}
