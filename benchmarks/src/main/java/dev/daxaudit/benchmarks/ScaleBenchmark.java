package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.lang.reflect.Field;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Scale: {@value #MAPPINGS} live mappings (64 KiB windows of one sparse file, as a store with many small segments
 * has), every page already dirty. {@code storeAcrossMappings}: one store into each mapping in turn, so no store
 * finds the mapping of the one before (the table lookup, in ns per store); {@code mapAndUnmap}: one more window
 * mapped, stored into and unmapped while the others stay live (µs per cycle).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScaleBenchmark {
    static final int MAPPINGS = 10_000;
    static final int WINDOW = 64 << 10;

    private Path file;
    private FileChannel channel;
    private MappedByteBuffer[] windows;
    private sun.misc.Unsafe unsafe;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        file = Files.createTempFile("dax-audit-scale", ".dat");
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        windows = new MappedByteBuffer[MAPPINGS];
        for (int i = 0; i < MAPPINGS; i++) {
            windows[i] = channel.map(FileChannel.MapMode.READ_WRITE, (long) i * WINDOW, WINDOW);
            for (int page = 0; page < WINDOW; page += 4096) {
                windows[i].put(page, (byte) 1);
            }
        }
        Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        unsafe = (sun.misc.Unsafe) field.get(null);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    @OperationsPerInvocation(MAPPINGS)
    public void storeAcrossMappings() {
        for (int i = 0; i < MAPPINGS; i++) {
            windows[i].putLong(64, i);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void mapAndUnmap() throws IOException {
        MappedByteBuffer extra = channel.map(FileChannel.MapMode.READ_WRITE, (long) MAPPINGS * WINDOW, WINDOW);
        extra.putLong(0, 1);
        unsafe.invokeCleaner(extra);
    }
}
