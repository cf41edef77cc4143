package dev.daxaudit.samples;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Maps a 64 GiB sparse file whole (a MappedByteBuffer cannot exceed 2 GiB; a segment can), writes four pages far
 * apart and forces the first two. The pages at 40 GiB and at the last page stay unsynced.
 */
public final class LargeSparseSegment {
    static final long SIZE = 64L << 30;
    static final long[] OFFSETS = {0, 3L << 30, 40L << 30, SIZE - 4096};

    private LargeSparseSegment() {
    }

    public static void main(String[] args) throws Exception {
        Arena arena = Arena.ofShared(); // never closed: the mapping lives until exit
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "sparse.seg"), StandardOpenOption.CREATE,
                StandardOpenOption.SPARSE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
            for (long offset : OFFSETS) {
                map.set(JAVA_LONG, offset + 8, offset); // site:write
            }
            map.asSlice(OFFSETS[0], 4096).force();
            map.asSlice(OFFSETS[1], 4096).force();
            System.out.println("mapped " + (SIZE >> 30) + " GiB, wrote 4 pages, forced 2");
        } // site:close
    }
}
