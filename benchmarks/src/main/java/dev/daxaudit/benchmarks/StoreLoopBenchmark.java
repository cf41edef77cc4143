package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * Stores as applications write them: a loop inside the benchmark method over a 64 MiB mapping whose pages are all
 * dirty (so no fault is measured, only the per-store check), so that the JIT compiles, unrolls and vectorises the
 * loop as it would in the application; one JMH operation is one store (or one bulk put). A plain direct buffer of
 * the same size is the control: stores outside any mapping.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StoreLoopBenchmark {
    static final int SIZE = 64 << 20;
    static final int LONGS = SIZE / 8;
    static final int RANDOM_STORES = 1 << 20;
    static final int CHUNK = 4096;

    private MappedFile file;
    private MappedByteBuffer mapped;
    private ByteBuffer direct;
    private int[] randomSlots;
    private byte[] chunk;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = new MappedFile(SIZE).dirtyAll();
        mapped = file.buffer;
        direct = ByteBuffer.allocateDirect(SIZE);
        SplittableRandom random = new SplittableRandom(42);
        randomSlots = new int[RANDOM_STORES];
        for (int i = 0; i < randomSlots.length; i++) {
            randomSlots[i] = random.nextInt(LONGS) << 3;
        }
        chunk = new byte[CHUNK];
        random.nextBytes(chunk);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        file.close();
    }

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public void mappedSequentialPutLong() {
        sequential(mapped);
    }

    @Benchmark
    @OperationsPerInvocation(RANDOM_STORES)
    public void mappedRandomPutLong() {
        random(mapped, randomSlots);
    }

    @Benchmark
    @OperationsPerInvocation(SIZE / CHUNK)
    public void mappedBulkPut4KiB() {
        bulk(mapped, chunk);
    }

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public void directSequentialPutLong() {
        sequential(direct);
    }

    @Benchmark
    @OperationsPerInvocation(RANDOM_STORES)
    public void directRandomPutLong() {
        random(direct, randomSlots);
    }

    @Benchmark
    @OperationsPerInvocation(SIZE / CHUNK)
    public void directBulkPut4KiB() {
        bulk(direct, chunk);
    }

    private static void sequential(ByteBuffer buffer) {
        for (int i = 0; i < LONGS; i++) {
            buffer.putLong(i << 3, i);
        }
    }

    private static void random(ByteBuffer buffer, int[] slots) {
        for (int i = 0; i < slots.length; i++) {
            buffer.putLong(slots[i], i);
        }
    }

    private static void bulk(ByteBuffer buffer, byte[] chunk) {
        for (int offset = 0; offset < SIZE; offset += CHUNK) {
            buffer.put(offset, chunk);
        }
    }
}
