package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * A 1 TiB sparse file mapped whole as a segment, 1,024 pages spread over it stored into, and the arena closed (no
 * force): ms per cycle, and with the GC profiler the bytes the JVM allocated per cycle, which with the agent is the
 * engine's memory for the mapping (the target: at most one byte per mapped 4 KiB page, 256 MiB, plus the dirty pages).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SparseSegmentBenchmark {
    static final long SIZE = 1L << 40;
    private static final int PAGES_STORED = 1024;

    private Path file;
    private FileChannel channel;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile("dax-audit-sparse", ".dat");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(SIZE);
        }
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public void sparseTebibyteMapStoreUnmap() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
            long stride = SIZE / PAGES_STORED;
            for (long offset = 0; offset < SIZE; offset += stride) {
                segment.set(ValueLayout.JAVA_LONG, offset, offset);
            }
        }
    }
}
