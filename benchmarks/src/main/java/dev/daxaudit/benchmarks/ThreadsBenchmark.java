package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Sixteen threads storing into one shared 64 MiB mapping, each into a 4 MiB stretch of its own, every page already
 * dirty: what the store fast path costs when many threads share the mappings (the last-hit mapping is a field all
 * of them read and write). ns per store per thread; on 2 cores the threads take turns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(16)
public class ThreadsBenchmark {
    private static final int SIZE = 64 << 20;
    private static final int STRETCH = SIZE / 16;
    private static final int STORES = STRETCH / 8;

    private MappedFile mapped;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        mapped = new MappedFile(SIZE).dirtyAll();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        mapped.close();
    }

    /** The stretch of one thread. */
    @State(Scope.Thread)
    public static class Stretch {
        int start;

        @Setup(Level.Trial)
        public void setUp(ThreadsBenchmark shared) {
            start = (shared.next.getAndIncrement() % 16) * STRETCH;
        }
    }

    @Benchmark
    @OperationsPerInvocation(STORES)
    public void sixteenThreadsStoring(Stretch stretch) {
        java.nio.MappedByteBuffer buffer = mapped.buffer;
        int end = stretch.start + STRETCH;
        for (int i = stretch.start; i < end; i += 8) {
            buffer.putLong(i, i);
        }
    }
}
