package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A store racing a force. The main thread forces a 16 MiB dirty mapping while a writer thread stores into it.
 * {@code hazard}: the writer keeps storing until the force has returned, so its stores land while the force is in
 * flight (the writer is running before the force starts, and a 16 MiB writeback takes far longer than a store), and
 * nothing forces again: whether those stores are durable is undefined. {@code correct}: the writer finishes before
 * the force starts (joined), so every store is covered.
 */
public final class StoreRacingForce {
    private static final int SIZE = 16 << 20;

    private StoreRacingForce() {
    }

    public static void main(String[] args) throws Exception {
        boolean correct = args[1].equals("correct");
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "raced.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            for (int page = 0; page < SIZE; page += 4096) {
                map.putLong(page, page); // dirty every page: the force has real work to do
            }
            CountDownLatch writing = new CountDownLatch(1);
            AtomicBoolean forced = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                writing.countDown();
                long n = 0;
                do {
                    map.putLong(8, ++n); // site:racingStore
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
            System.out.println("forced with a writer " + (correct ? "finished" : "running"));
        } // site:close
    }
}
