package dev.daxaudit.samples;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A record store over a file mapped as a memory segment: packed records of (id, length, bytes) appended at the
 * tail, so headers are unaligned.
 * {@link #forceLast()} forces exactly the last record's bytes through a slice of the mapping.
 */
final class SegmentLog implements AutoCloseable {
    private final FileChannel channel;
    private final MemorySegment map;
    private long tail;
    private long lastStart;

    SegmentLog(Path file, long capacity, Arena arena) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        map = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity, arena); // site:map
    }

    void append(long id, byte[] body) {
        lastStart = tail;
        map.set(JAVA_LONG_UNALIGNED, tail, id); // site:header
        map.set(JAVA_INT_UNALIGNED, tail + 8, body.length);
        MemorySegment.copy(body, 0, map, JAVA_BYTE, tail + 12, body.length); // site:body
        tail += 12 + body.length;
    }

    void forceLast() {
        map.asSlice(lastStart, tail - lastStart).force();
    }

    long size() {
        return tail;
    }

    @Override
    public void close() throws IOException {
        channel.close(); // site:close
    }
}
