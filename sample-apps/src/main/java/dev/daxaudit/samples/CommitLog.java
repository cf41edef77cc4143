package dev.daxaudit.samples;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A broker's commit log: {@value #PRODUCERS} producer threads append length-prefixed records to one 64 MiB mapping,
 * each through its own {@code slice()}d view of the range it reserved, while a flusher thread forces the whole
 * mapping every few milliseconds. Producer stores land while forces are in flight all the time; what matters is
 * that a later force covers them. args[1]:
 * <ul>
 * <li>{@code clean}: after the producers finish, the flusher is stopped and a final force runs at shutdown;</li>
 * <li>{@code exit-before-final-force}: the flusher is stopped after a last completed force, the producers append a
 * tail, and the process calls {@code System.exit} without forcing it. Prints the tail's byte range.</li>
 * </ul>
 */
public final class CommitLog {
    static final int PRODUCERS = 4;
    static final int SIZE = 64 << 20;
    private static final int RECORDS = 3_000;
    private static final int TAIL_RECORDS = 60;

    private final MappedByteBuffer map;
    private final AtomicInteger position = new AtomicInteger();

    private CommitLog(MappedByteBuffer map) {
        this.map = map;
    }

    public static void main(String[] args) throws Exception {
        boolean clean = args[1].equals("clean");
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "commit.log"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            CommitLog log = new CommitLog(ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
            Flusher flusher = new Flusher(log.map);
            flusher.start();
            log.produce(RECORDS);
            flusher.stopAfterLastForce();
            if (clean) {
                log.map.force(); // site:shutdownForce
                System.out.println("commit log closed cleanly");
                return;
            }
            int tailStart = log.position.get();
            log.produce(TAIL_RECORDS);
            System.out.println("tail [" + tailStart + "," + log.position.get() + ")");
            System.exit(0); // before the final force
        }
    }

    /** Runs the producers, each appending {@code records} records, and waits for them. */
    private void produce(int records) throws InterruptedException {
        Thread[] producers = new Thread[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            int id = p;
            producers[p] = new Thread(() -> {
                for (int i = 0; i < records; i++) {
                    append(id, i);
                }
            }, "producer-" + p);
            producers[p].start();
        }
        for (Thread t : producers) {
            t.join();
        }
    }

    /** Reserves a range, then fills it through a view of just that range, as log segments hand out. */
    private void append(int producer, int sequence) {
        int length = 64 + (sequence * 37 + producer * 11) % 300;
        int start = position.getAndAdd(4 + length);
        ByteBuffer view = map.slice(start, 4 + length);
        view.putInt(length); // site:recordHeader
        for (int i = 0; i < length; i += 8) {
            view.put(i + 4, (byte) producer); // site:recordBody
        }
    }

    /** Forces the whole mapping every few milliseconds until stopped, then once more. */
    private static final class Flusher extends Thread {
        private final MappedByteBuffer map;
        private volatile boolean running = true;

        Flusher(MappedByteBuffer map) {
            super("flusher");
            this.map = map;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    map.force(); // site:flush
                    Thread.sleep(3);
                }
                map.force(); // site:lastFlush
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops the flusher once it has completed a force that began after this call. */
        void stopAfterLastForce() throws InterruptedException {
            running = false;
            join();
        }
    }
}
