package dev.daxaudit.samples;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes two pages of a mapped segment and closes its arena without forcing: both pages are lost at the unmap. */
public final class ArenaCloseWithoutForce {
    private ArenaCloseWithoutForce() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "closed.seg"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Arena arena = Arena.ofConfined();
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096, arena);
            for (int page = 0; page < 2; page++) {
                map.set(JAVA_LONG, page * 4096L, page); // site:write
            }
            arena.close(); // site:close
            System.out.println("2 pages written, arena closed without force");
        } // site:channelClose
    }
}
