package dev.daxaudit.samples;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Maps a segment in an automatic arena, writes a page and drops the segment: the garbage collector unmaps it.
 * The JDK's "mapped" buffer pool tells when that happened; the page is lost at that unmap.
 */
public final class AutoArenaUnmap {
    private AutoArenaUnmap() {
    }

    public static void main(String[] args) throws Exception {
        writeAndForget(Path.of(args[0], "auto.seg"));
        System.out.println(MappedPool.awaitAllUnmapped() ? "unmapped by the GC" : "still mapped after 20 s");
    }

    private static void writeAndForget(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096, Arena.ofAuto());
            map.set(JAVA_LONG, 0, 1L); // site:write
        }
    }
}
