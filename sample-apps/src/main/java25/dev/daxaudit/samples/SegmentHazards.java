package dev.daxaudit.samples;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The memory-segment forms of a store racing a force, an unmap (arena close) with unsynced stores, and stores into
 * blocks of a grown file: each leaves one finding with that context. args[1] is {@code race}, {@code close} or {@code grow}; args[2] is
 * {@code hazard} or {@code correct}.
 * <ul>
 * <li>race: the main thread forces a 16 MiB dirty segment while a writer stores into it and never forces again
 * (hazard), or after the writer has finished (correct);</li>
 * <li>close: a writer fills two pages, then the main thread closes the arena without a force (hazard) or after
 * one (correct);</li>
 * <li>grow: map() grows a one-page file to three pages and a store lands in the new page 2, unforced (hazard) or
 * forced (correct).</li>
 * </ul>
 */
public final class SegmentHazards {
    private SegmentHazards() {
    }

    public static void main(String[] args) throws Exception {
        boolean correct = args[2].equals("correct");
        Path file = Path.of(args[0], args[1] + ".seg");
        if (args[1].equals("grow")) {
            java.nio.file.Files.write(file, new byte[4096]);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            switch (args[1]) {
                case "race" -> race(ch, correct);
                case "close" -> close(ch, correct);
                default -> grow(ch, correct);
            }
        } // site:close
        System.out.println(args[1] + " " + args[2] + " done");
    }

    private static void race(FileChannel ch, boolean correct) throws Exception {
        long size = 16 << 20;
        MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, Arena.ofShared());
        for (long page = 0; page < size; page += 4096) {
            map.set(JAVA_LONG, page, page);
        }
        CountDownLatch writing = new CountDownLatch(1);
        AtomicBoolean forced = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            writing.countDown();
            long n = 0;
            do {
                map.set(JAVA_LONG, 8, ++n); // site:racingStore
            } while (!correct && !forced.get());
        }, "writer");
        writer.start();
        writing.await();
        if (correct) {
            writer.join();
        }
        map.force(); // site:force
        forced.set(true);
        writer.join();
    }

    private static void close(FileChannel ch, boolean correct) throws Exception {
        Arena arena = Arena.ofShared();
        MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2 * 4096, arena);
        Thread writer = new Thread(() -> {
            map.set(JAVA_LONG, 0, 1L); // site:closeWrite
            map.set(JAVA_LONG, 4096, 2L); // site:closeWrite2
        }, "writer");
        writer.start();
        writer.join();
        if (correct) {
            map.force();
        }
        arena.close(); // site:arenaClose
    }

    private static void grow(FileChannel ch, boolean correct) throws Exception {
        MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 3 * 4096, Arena.ofShared()); // site:growMap
        map.set(JAVA_LONG, 2 * 4096, 7L); // site:growWrite
        if (correct) {
            map.force();
        }
    }
}
