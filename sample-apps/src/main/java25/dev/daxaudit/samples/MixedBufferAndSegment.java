package dev.daxaudit.samples;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file mapped both as a MappedByteBuffer and as a MemorySegment. Both share the file's one dirty index:
 * a store through the buffer is made durable by a force of the segment, and the other way round. Page 2, written
 * through the segment last, is never forced.
 */
public final class MixedBufferAndSegment {
    private MixedBufferAndSegment() {
    }

    public static void main(String[] args) throws Exception {
        Arena arena = Arena.ofShared(); // never closed: the mapping lives until exit
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "mixed.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer buffer = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096);
            MemorySegment segment = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096, arena);
            buffer.putLong(0, 1L);
            segment.force();
            segment.set(JAVA_LONG, 4096, 2L);
            buffer.force();
            segment.set(JAVA_LONG, 2 * 4096, 3L); // site:unforced
            System.out.println("pages 0 and 1 forced across APIs, page 2 left unforced");
        } // site:close
    }
}
