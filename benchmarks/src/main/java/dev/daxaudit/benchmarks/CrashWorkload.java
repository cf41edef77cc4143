package dev.daxaudit.benchmarks;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The workload {@code BenchmarkMain} runs under {@code crash-test} to measure the cost per crash state: a 4 MiB
 * file, 64 pages stored, one of them forced, so the crash point after that force has 63 pending pages and the
 * {@code prefix} strategy 64 states.
 */
public final class CrashWorkload {
    static final int PENDING = 63;

    private CrashWorkload() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0], "crash.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.allocate(4 << 20));
            channel.force(true);
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4 << 20);
            for (int page = 0; page <= PENDING; page++) {
                buffer.putLong(page * 4096, page + 1);
            }
            buffer.force(0, 4096);
        }
    }
}
