package dev.daxaudit.samples;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A tiny append-only log over one memory-mapped file: length-prefixed records, appended at the tail.
 * {@link #forceLast()} makes the last record durable, as a careful log does after each append.
 */
final class MappedLog implements AutoCloseable {
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private int lastStart;

    MappedLog(Path file, int capacity) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        map = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity); // site:map
    }

    void append(byte[] record) {
        lastStart = map.position();
        map.putInt(record.length); // site:append
        map.put(record); // site:appendBody
    }

    void forceLast() {
        map.force(lastStart, map.position() - lastStart); // site:force
    }

    int size() {
        return map.position();
    }

    @Override
    public void close() throws IOException {
        channel.close(); // site:close
    }

    /** A record of {@code n} bytes whose content depends on its number, so runs are reproducible. */
    static byte[] record(int number, int n) {
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = (byte) (number + i);
        }
        return r;
    }
}
