package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code force()} of a 64 MiB mapping with N dirty pages, in µs. Unaudited, that is the msync it wraps; audited, the
 * engine's writeback (tagging, writing back and cleaning the dirty pages, the durability-lag histogram) is added.
 * The stores that dirty the pages run in the per-invocation set-up, outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ForceBenchmark {
    static final int PAGES = 16384;

    @Param({"16", "1024"})
    public int dirtyPages;

    private MappedFile file;
    private MappedByteBuffer mapped;
    private int round;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = new MappedFile(PAGES * 4096L).dirtyAll();
        mapped = file.buffer;
        mapped.force();
    }

    @Setup(Level.Invocation)
    public void dirtyPages() {
        int stride = PAGES / dirtyPages;
        round++;
        for (int page = 0; page < PAGES; page += stride) {
            mapped.putLong(page << 12, round);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        file.close();
    }

    @Benchmark
    public void force() {
        mapped.force();
    }
}
