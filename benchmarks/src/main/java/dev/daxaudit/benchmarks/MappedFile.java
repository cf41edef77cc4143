package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A temporary file mapped READ_WRITE, deleted at close. */
final class MappedFile implements AutoCloseable {
    final Path path;
    final FileChannel channel;
    final MappedByteBuffer buffer;

    MappedFile(long size) throws IOException {
        // The default temporary directory, not tmpfs: the agent audits tmpfs files under its volatile model only.
        path = Files.createTempFile("dax-audit-bench", ".dat");
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
    }

    /** Dirties every page once, so that the stores measured afterwards all go to dirty pages. */
    MappedFile dirtyAll() {
        for (int i = 0; i < buffer.capacity(); i += 4096) {
            buffer.put(i, (byte) 1);
        }
        return this;
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(path);
    }
}
