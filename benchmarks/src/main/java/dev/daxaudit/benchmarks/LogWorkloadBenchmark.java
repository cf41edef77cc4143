package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
 * End to end, a segmented message log as brokers write it, at scale: one invocation writes {@value #SEGMENTS}
 * segments. Per segment, {@value #PRODUCERS} producer threads reserve space with a CAS and append 128-byte records
 * to a 16 MiB log mapping, each through a {@code duplicate()}; every {@value #INDEX_INTERVAL} records a producer
 * adds an 8-byte entry to the segment's offset index, preallocated to 10 MiB and mapped whole; a flusher thread
 * forces the log while they append. At roll: the log and the index are forced, both are unmapped (as brokers do,
 * through {@code Unsafe.invokeCleaner}), and the index is trimmed to its written size with {@code setLength}.
 * Correct and durable: the audited run has no finding. One JMH operation is one record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LogWorkloadBenchmark {
    static final int SEGMENTS = 4;
    static final int PRODUCERS = 4;
    static final int LOG_SIZE = 16 << 20;
    static final int INDEX_SIZE = 10 << 20;
    static final int RECORD = 128;
    static final int RECORDS_PER_SEGMENT = LOG_SIZE / RECORD;
    static final int INDEX_INTERVAL = 32;

    private Path dir;
    private ExecutorService threads;
    private int segment;
    private sun.misc.Unsafe unsafe;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("dax-audit-log");
        threads = Executors.newFixedThreadPool(PRODUCERS + 1);
        Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        unsafe = (sun.misc.Unsafe) field.get(null);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        threads.shutdownNow();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(SEGMENTS * RECORDS_PER_SEGMENT)
    public void appendSegments() throws Exception {
        for (int i = 0; i < SEGMENTS; i++) {
            writeSegment(segment++);
        }
    }

    private void writeSegment(int n) throws Exception {
        Path logPath = dir.resolve(String.format("%020d.log", n));
        Path indexPath = dir.resolve(String.format("%020d.index", n));
        try (FileChannel log = FileChannel.open(logPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             RandomAccessFile index = new RandomAccessFile(indexPath.toFile(), "rw")) {
            index.setLength(INDEX_SIZE);
            MappedByteBuffer logMap = log.map(FileChannel.MapMode.READ_WRITE, 0, LOG_SIZE);
            MappedByteBuffer indexMap = index.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, INDEX_SIZE);
            AtomicInteger nextRecord = new AtomicInteger();
            AtomicInteger indexEntries = new AtomicInteger();
            AtomicInteger producing = new AtomicInteger(PRODUCERS);
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                work.add(threads.submit(() -> {
                    produce(logMap.duplicate(), indexMap.duplicate(), nextRecord, indexEntries);
                    producing.decrementAndGet();
                    return null;
                }));
            }
            work.add(threads.submit(() -> {
                while (producing.get() > 0) {
                    logMap.force();
                    Thread.sleep(1);
                }
                return null;
            }));
            for (Future<?> f : work) {
                f.get();
            }
            logMap.force();
            indexMap.force();
            unsafe.invokeCleaner(logMap);
            unsafe.invokeCleaner(indexMap);
            index.setLength(indexEntries.get() * 8L);
        }
        if (n > 0) { // retention: the previous segment is deleted, as a log with a small retention does
            Files.deleteIfExists(dir.resolve(String.format("%020d.log", n - 1)));
            Files.deleteIfExists(dir.resolve(String.format("%020d.index", n - 1)));
        }
    }

    private static void produce(ByteBuffer log, ByteBuffer index, AtomicInteger nextRecord,
                                AtomicInteger indexEntries) {
        for (int r = nextRecord.getAndIncrement(); r < RECORDS_PER_SEGMENT; r = nextRecord.getAndIncrement()) {
            int position = r * RECORD;
            log.putInt(position, RECORD - 4);
            log.putLong(position + 4, System.nanoTime());
            for (int offset = position + 12; offset + 8 <= position + RECORD; offset += 8) {
                log.putLong(offset, r);
            }
            if (r % INDEX_INTERVAL == 0) {
                int entry = indexEntries.getAndIncrement();
                if (entry * 8 < INDEX_SIZE) {
                    index.putInt(entry * 8, r);
                    index.putInt(entry * 8 + 4, position);
                }
            }
        }
    }
}
