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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code set(JAVA_LONG, ...)} into already-dirty pages of a mapped segment, and into a native segment no mapping
 * covers. JDK 22+ only; {@link BenchmarkMain} runs it on JDK 25.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SegmentStoreBenchmark {
    private static final int SLOTS = 64 * 4096 / 8;

    private Arena arena;
    private Path file;
    private FileChannel channel;
    private MemorySegment mapped;
    private MemorySegment nativeSegment;
    private int slot;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        arena = Arena.ofShared();
        file = Files.createTempFile("dax-audit-bench", ".seg");
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, SLOTS * 8L, arena);
        for (int i = 0; i < SLOTS; i += 512) {
            mapped.setAtIndex(JAVA_LONG, i, i); // dirty every page once
        }
        nativeSegment = arena.allocate(SLOTS * 8L, 8);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        arena.close();
        channel.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public void mappedSegmentDirtySetLong() {
        int s = slot = (slot + 1) & (SLOTS - 1);
        mapped.set(JAVA_LONG, (long) s << 3, s);
    }

    @Benchmark
    public void nativeSegmentSetLong() {
        int s = slot = (slot + 1) & (SLOTS - 1);
        nativeSegment.set(JAVA_LONG, (long) s << 3, s);
    }
}
