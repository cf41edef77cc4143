package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
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
 * The store fast path: {@code putLong} into pages of a mapping that are already dirty (every page is written
 * once in setup and never forced), and into a plain direct buffer that no mapping covers. The same workload
 * runs with and without the agent; {@link BenchmarkMain} divides the two.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StoreBenchmark {
    /** 64 pages of longs: small enough to stay in cache, so the benchmark measures the hook, not memory. */
    private static final int SLOTS = 64 * 4096 / 8;

    private Path file;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private ByteBuffer direct;
    private int slot;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile("dax-audit-bench", ".dat");
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, SLOTS * 8L);
        for (int i = 0; i < SLOTS; i += 512) {
            mapped.putLong(i * 8, i); // dirty every page once: the benchmark stores to dirty pages only
        }
        direct = ByteBuffer.allocateDirect(SLOTS * 8);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public void mappedDirtyPutLong() {
        int s = slot = (slot + 1) & (SLOTS - 1);
        mapped.putLong(s << 3, s);
    }

    @Benchmark
    public void directPutLong() {
        int s = slot = (slot + 1) & (SLOTS - 1);
        direct.putLong(s << 3, s);
    }
}
