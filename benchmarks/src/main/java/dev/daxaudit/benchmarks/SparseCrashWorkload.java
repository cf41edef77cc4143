package dev.daxaudit.benchmarks;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The workload {@code BenchmarkMain} runs under {@code crash-test} to show that a run costs what the file holds:
 * a {@value #GIB} GiB segment preallocated sparse by an earlier run ({@link #preallocate}), one header page written
 * and fsynced, {@value #RECORDS} records forced one by one in a window at its middle.
 */
public final class SparseCrashWorkload {
    static final int GIB = 10;
    static final int RECORDS = 16;

    private SparseCrashWorkload() {
    }

    /** The segment in {@code dir}: its length, nothing allocated. */
    static void preallocate(java.nio.file.Path dir) throws java.io.IOException {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(dir + "/segment.dat", "rw")) {
            file.setLength((long) GIB << 30);
        }
    }

    public static void main(String[] args) throws Exception {
        long length = (long) GIB << 30;
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(args[0] + "/segment.dat", "rw");
             FileChannel channel = file.getChannel()) {
            channel.write(ByteBuffer.wrap(new byte[] {'S', 'E', 'G'}), 0);
            channel.force(true);
            MappedByteBuffer window = channel.map(FileChannel.MapMode.READ_WRITE, length / 2, RECORDS * 4096L);
            for (int i = 0; i < RECORDS; i++) {
                window.putLong(i * 4096, i + 1);
                window.force(i * 4096, 4096);
            }
        }
    }
}
