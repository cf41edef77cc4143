package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sixteen threads on one file, for a fixed number of rounds (args[1]) or, with {@code until-stop}, until a file
 * named {@code stop} appears in the directory: ten store through two long-lived shared mappings, two force random
 * ranges, one fsyncs the file, two map a window of their own, store through it and unmap it without a force, and
 * one truncates the tail of the file, grows it again and stores there through a window of its own.
 *
 * <p>It keeps its own oracle, independent of the agent: a page must be reported unsynced if a store into it began
 * after every force or fsync covering it had returned, and after the last truncate that cut it off. It prints those
 * pages at the end, as {@code must [a,b) [c,d) ...} in bytes, after a few last stores that no force follows, and
 * exits without a final force.
 */
public final class SharedMappingStress {
    private static final int PAGE = 4096;
    private static final int PAGES = 256;
    /** Pages below this are shared by the storing threads; the tail belongs to the truncator. */
    private static final int SHARED = 192;
    private static final int WINDOW = 16;

    private final MappedByteBuffer a;
    private final MappedByteBuffer b;
    private final FileChannel channel;
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLongArray storeBegun = new AtomicLongArray(PAGES);
    private final AtomicLongArray coveredAt = new AtomicLongArray(PAGES);
    private final AtomicLongArray truncatedAt = new AtomicLongArray(PAGES);

    private SharedMappingStress(FileChannel channel) throws Exception {
        this.channel = channel;
        this.a = channel.map(FileChannel.MapMode.READ_WRITE, 0, (long) SHARED * PAGE);
        this.b = channel.map(FileChannel.MapMode.READ_WRITE, 0, (long) SHARED * PAGE);
    }

    private interface Step {
        void run(SplittableRandom r) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean untilStop = args[1].equals("until-stop");
        int rounds = untilStop ? Integer.MAX_VALUE : Integer.parseInt(args[1]);
        try (FileChannel ch = FileChannel.open(dir.resolve("stress.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.allocate(PAGES * PAGE));
            SharedMappingStress s = new SharedMappingStress(ch);
            Thread[] threads = new Thread[16];
            int n = 0;
            for (int i = 0; i < 10; i++) {
                threads[n++] = s.worker("store-" + i, i, rounds * 20, dir, untilStop, r -> s.store(r));
            }
            for (int i = 0; i < 2; i++) {
                threads[n++] = s.worker("force-" + i, 100 + i, rounds, dir, untilStop, r -> s.force(r));
            }
            threads[n++] = s.worker("fsync", 200, rounds / 4 + 1, dir, untilStop, r -> s.fsync());
            for (int i = 0; i < 2; i++) {
                threads[n++] = s.worker("window-" + i, 300 + i, rounds / 2 + 1, dir, untilStop, r -> s.window(r));
            }
            threads[n++] = s.worker("truncate", 400, rounds / 4 + 1, dir, untilStop, r -> s.truncate(r));
            if (untilStop) {
                System.out.println("started");
                System.out.flush();
            }
            for (Thread t : threads) {
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            SplittableRandom last = new SplittableRandom(500);
            for (int i = 0; i < 8; i++) {
                s.store(last); // after every force: these must be unsynced at the end
            }
            System.out.println(s.mustBeUnsynced());
        }
    }

    private Thread worker(String name, long seed, int steps, Path dir, boolean untilStop, Step step) {
        return new Thread(() -> {
            SplittableRandom r = new SplittableRandom(seed);
            try {
                for (int i = 0; i < steps && !(untilStop && Files.exists(dir.resolve("stop"))); i++) {
                    step.run(r);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name);
    }

    private void store(SplittableRandom r) {
        int page = r.nextInt(SHARED);
        storeBegun.accumulateAndGet(page, clock.incrementAndGet(), Math::max);
        (r.nextBoolean() ? a : b).putLong(page * PAGE + r.nextInt(512) * 8, r.nextLong());
    }

    private void force(SplittableRandom r) {
        int from = r.nextInt(SHARED);
        int to = Math.min(SHARED, from + 1 + r.nextInt(32));
        (r.nextBoolean() ? a : b).force(from * PAGE, (to - from) * PAGE);
        covered(from, to, clock.incrementAndGet());
    }

    private void fsync() throws Exception {
        channel.force(true);
        covered(0, PAGES, clock.incrementAndGet());
    }

    private void covered(int from, int to, long at) {
        for (int p = from; p < to; p++) {
            coveredAt.accumulateAndGet(p, at, Math::max);
        }
    }

    /** Maps a window of the shared part, stores into it and unmaps it without a force. */
    private void window(SplittableRandom r) throws Exception {
        int first = r.nextInt(SHARED - WINDOW);
        MappedByteBuffer w = channel.map(FileChannel.MapMode.READ_WRITE, (long) first * PAGE, WINDOW * PAGE);
        for (int i = 0; i < 4; i++) {
            int page = r.nextInt(WINDOW);
            storeBegun.accumulateAndGet(first + page, clock.incrementAndGet(), Math::max);
            w.putLong(page * PAGE, r.nextLong());
        }
        TruncateUnderMapping.unmap(w);
    }

    /** Cuts the tail off, grows the file again, and stores into the new tail through a window of its own. */
    private void truncate(SplittableRandom r) throws Exception {
        channel.truncate((long) SHARED * PAGE);
        long at = clock.incrementAndGet();
        for (int p = SHARED; p < PAGES; p++) {
            truncatedAt.accumulateAndGet(p, at, Math::max);
        }
        MappedByteBuffer tail = channel.map(FileChannel.MapMode.READ_WRITE, (long) SHARED * PAGE,
                (long) (PAGES - SHARED) * PAGE);
        for (int i = 0; i < 4; i++) {
            int page = SHARED + r.nextInt(PAGES - SHARED);
            storeBegun.accumulateAndGet(page, clock.incrementAndGet(), Math::max);
            tail.putLong((page - SHARED) * PAGE, r.nextLong());
        }
        TruncateUnderMapping.unmap(tail);
    }

    private String mustBeUnsynced() {
        StringBuilder sb = new StringBuilder("must");
        int start = -1;
        for (int p = 0; p <= PAGES; p++) {
            boolean must = p < PAGES && storeBegun.get(p) > 0 && storeBegun.get(p) > coveredAt.get(p)
                    && storeBegun.get(p) > truncatedAt.get(p);
            if (must && start < 0) {
                start = p;
            } else if (!must && start >= 0) {
                sb.append(" [").append((long) start * PAGE).append(',').append((long) p * PAGE).append(')');
                start = -1;
            }
        }
        return sb.toString();
    }
}
