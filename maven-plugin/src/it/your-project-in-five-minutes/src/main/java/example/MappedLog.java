package example;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A tiny append-only log over a memory-mapped file. */
public final class MappedLog implements AutoCloseable {
    private final FileChannel channel;
    private final MappedByteBuffer map;

    public MappedLog(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 1 << 16);
    }

    public void append(long value) {
        map.putLong(value);
    }

    /** Makes every record appended so far durable. */
    public void commit() {
        map.force();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
