package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import jdk.internal.misc.Unsafe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Stores through {@code jdk.internal.misc.Unsafe} called by the application itself, as a library built with
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} writes: with the agent, each call site is rewritten
 * at class loading into a call of a bridge method added to this class, which makes the store and records it. A loop
 * of {@code putLong} at raw addresses over the 64 MiB mapping, every page already dirty (no fault measured), and over
 * as much plain native memory (the control: a store outside any mapping). One operation is one store. Compiled apart
 * (src/main/java-internal) because {@code --add-exports} cannot go with {@code --release}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsPrepend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class InternalUnsafeBenchmark {
    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final long ADDRESS = UNSAFE.objectFieldOffset(java.nio.Buffer.class, "address");

    private MappedFile file;
    private long mapped;
    private long direct;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = new MappedFile(StoreLoopBenchmark.SIZE).dirtyAll();
        mapped = UNSAFE.getLong(file.buffer, ADDRESS);
        direct = UNSAFE.allocateMemory(StoreLoopBenchmark.SIZE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        file.close();
        UNSAFE.freeMemory(direct);
    }

    @Benchmark
    @OperationsPerInvocation(StoreLoopBenchmark.LONGS)
    public void mappedInternalUnsafePutLong() {
        putLongs(mapped);
    }

    @Benchmark
    @OperationsPerInvocation(StoreLoopBenchmark.LONGS)
    public void directInternalUnsafePutLong() {
        putLongs(direct);
    }

    private static void putLongs(long address) {
        for (int i = 0; i < StoreLoopBenchmark.LONGS; i++) {
            UNSAFE.putLong(address + ((long) i << 3), i);
        }
    }
}
