package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CyclicBarrier;

/**
 * H4. Two threads store into a file that map() has just grown, so every page is a hole, released together by a
 * barrier. {@code hazard}: both touch the same new page. {@code correct}: each touches its own page. Both force
 * afterwards. The tests run it with the {@code hold-first-touch} failpoint, which keeps the first fault between
 * block allocation and PTE install until the second thread faults, so the overlap is certain.
 */
public final class ConcurrentFirstTouch {
    private ConcurrentFirstTouch() {
    }

    public static void main(String[] args) throws Exception {
        boolean correct = args[1].equals("correct");
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "fresh.dat"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096);
            CyclicBarrier start = new CyclicBarrier(2);
            Thread[] toucher = new Thread[2];
            for (int i = 0; i < 2; i++) {
                int slot = i;
                toucher[i] = new Thread(() -> {
                    try {
                        start.await();
                        int page = correct ? slot : 0;
                        map.putLong(page * 4096 + slot * 8, slot + 1); // site:touch
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "toucher-" + i);
                toucher[i].start();
            }
            for (Thread t : toucher) {
                t.join();
            }
            map.force();
            System.out.println("two threads touched " + (correct ? "two pages" : "one page") + ", forced");
        }
    }
}
