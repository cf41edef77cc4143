package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.nio.MappedByteBuffer;
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
 * The write fault: the first store to each page of a mapping that a force has just made clean, one store per
 * page, in ns per page. Unaudited, this is the kernel's own write-protect fault after msync (the page cache and DAX
 * write-protect written-back pages, so the next store faults); audited, the engine's clean-to-dirty transition
 * (code site, thread, dirty index, range lock) is added to it. The force runs in the per-invocation set-up, outside
 * the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FaultBenchmark {
    static final int PAGES = 2048;

    private MappedFile file;
    private MappedByteBuffer mapped;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = new MappedFile(PAGES * 4096L).dirtyAll(); // blocks allocated: no hole is filled in the measurement
        mapped = file.buffer;
    }

    @Setup(Level.Invocation)
    public void cleanEveryPage() {
        mapped.force();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        file.close();
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void firstStoreToCleanPage() {
        for (int page = 0; page < PAGES; page++) {
            mapped.putLong(page << 12, page);
        }
    }
}
