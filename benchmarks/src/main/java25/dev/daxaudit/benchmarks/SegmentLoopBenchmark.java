package dev.daxaudit.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * The memory-segment counterpart of {@code StoreLoopBenchmark} (JDK 22+): a loop of {@code set(JAVA_LONG, ...)}
 * over a 64 MiB mapped segment whose pages are all dirty, {@code MemorySegment.copy} in 4 KiB chunks, and the same
 * into a native segment that no mapping covers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SegmentLoopBenchmark {
    static final int SIZE = 64 << 20;
    static final int LONGS = SIZE / 8;
    static final int CHUNK = 4096;

    private Path path;
    private Arena arena;
    private MemorySegment mapped;
    private MemorySegment plain;
    private MemorySegment chunk;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        path = Files.createTempFile("dax-audit-bench", ".dat");
        arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
        }
        for (long offset = 0; offset < SIZE; offset += 4096) {
            mapped.set(JAVA_LONG, offset, 1); // every page dirty: the loops measure the per-store check only
        }
        plain = arena.allocate(SIZE, 4096);
        chunk = arena.allocate(CHUNK);
        chunk.fill((byte) 7);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        arena.close();
        Files.deleteIfExists(path);
    }

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public void mappedSegmentSequentialSet() {
        sequential(mapped);
    }

    @Benchmark
    @OperationsPerInvocation(SIZE / CHUNK)
    public void mappedSegmentCopy4KiB() {
        copy(chunk, mapped);
    }

    @Benchmark
    @OperationsPerInvocation(LONGS)
    public void nativeSegmentSequentialSet() {
        sequential(plain);
    }

    @Benchmark
    @OperationsPerInvocation(SIZE / CHUNK)
    public void nativeSegmentCopy4KiB() {
        copy(chunk, plain);
    }

    private static void sequential(MemorySegment segment) {
        for (long i = 0; i < LONGS; i++) {
            segment.set(JAVA_LONG, i << 3, i);
        }
    }

    private static void copy(MemorySegment chunk, MemorySegment target) {
        for (long offset = 0; offset < SIZE; offset += CHUNK) {
            MemorySegment.copy(chunk, 0, target, offset, CHUNK);
        }
    }
}
