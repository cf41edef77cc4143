package dev.daxaudit.samples;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Hands a mapped segment to ByteBuffer code through {@code asByteBuffer()}, as libraries bridging the two APIs do,
 * and writes page 2 through the buffer. The store must be attributed to the file and page.
 */
public final class AsByteBufferWriter {
    private AsByteBufferWriter() {
    }

    public static void main(String[] args) throws Exception {
        Arena arena = Arena.ofShared(); // never closed: the mapping lives until exit
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "bridge.seg"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096, arena);
            ByteBuffer buffer = map.asByteBuffer();
            buffer.putLong(2 * 4096, 42L); // site:buffer
            System.out.println("wrote through asByteBuffer");
        } // site:close
    }
}
