package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * {@code FileChannel.write} of 4 KiB into a file of its own (a log the program appends), in a JVM that also maps a
 * file: from the first mapping on, every write(2) is looked at, since a write into a mapped file feeds its data
 * truth. What the agent adds to a write into a file it does not map is what this measures. One operation is one
 * write, at offsets that wrap within 64 MiB so the page cache, not the disk, is written.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WriteBenchmark {
    private static final int SPAN = 64 << 20;

    private MappedFile mapped;
    private Path logPath;
    private FileChannel log;
    private final ByteBuffer record = ByteBuffer.allocateDirect(4096);
    private long position;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        mapped = new MappedFile(1 << 20).dirtyAll();
        logPath = Files.createTempFile("dax-audit-bench-write", ".log");
        log = FileChannel.open(logPath, StandardOpenOption.WRITE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        Files.deleteIfExists(logPath);
        mapped.close();
    }

    @Benchmark
    public int writeToAnUnmappedFile() throws IOException {
        record.clear();
        int written = log.write(record, position);
        position = (position + 4096) % SPAN;
        return written;
    }
}
