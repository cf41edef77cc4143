package dev.daxaudit.benchmarks;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The workload {@code BenchmarkMain} runs under {@code crash-test} to measure the cost per crash state: a 4 MiB
 * file (written before the run), 64 pages stored (or as many as the second argument says, up to 1,024), one of
 * them forced, so the crash point after that force has 63 pending pages and the {@code prefix} strategy 64 states.
 * Page {@code p} holds the record {@code p + 1}: a log whose recovery ({@link LogRecoveryCheck}) reads it back.
 */
public final class CrashWorkload {
    static final int PENDING = 63;

    private CrashWorkload() {
    }

    /**
     * Writes the 4 MiB file, fsynced, before the run (as an earlier run of the application would have): written in
     * the run, its 1,024 pages would be pending at the crash point before that fsync, and the states would be theirs.
     */
    static void preallocate(Path dir) throws java.io.IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve("crash.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate(4 << 20));
            channel.force(true);
        }
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0], "crash.dat"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4 << 20);
            int pending = args.length > 1 ? Integer.parseInt(args[1]) : PENDING;
            for (int page = 0; page <= pending; page++) {
                buffer.putLong(page * 4096, page + 1);
            }
            buffer.force(0, 4096);
        }
    }
}
