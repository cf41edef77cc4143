package dev.daxaudit.samples;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One memory-segment store path per page, and no force: unaligned set, setAtIndex, a layout path handle into a
 * sequence of structs, getAndAdd, compareAndSet, segment-to-segment and array-to-segment copy, copyFrom, fill,
 * setString and a store through a slice. Each page must name its own line.
 */
public final class SegmentStorePaths {
    private static final long PAGE = 4096;
    private static final SequenceLayout ENTRIES = MemoryLayout.sequenceLayout(64,
            MemoryLayout.structLayout(JAVA_LONG.withName("key"), JAVA_INT.withName("value"),
                    MemoryLayout.paddingLayout(4)));
    private static final VarHandle ENTRY_VALUE =
            ENTRIES.varHandle(PathElement.sequenceElement(), PathElement.groupElement("value"));
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private SegmentStorePaths() {
    }

    public static void main(String[] args) throws Exception {
        Arena arena = Arena.ofShared(); // never closed: the mapping lives until exit
        try (Arena scratch = Arena.ofConfined();
             FileChannel ch = FileChannel.open(Path.of(args[0], "paths.seg"), StandardOpenOption.CREATE,
                     StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 11 * PAGE, arena);
            MemorySegment source = scratch.allocate(128);

            map.set(JAVA_LONG_UNALIGNED, 1, 1L); // site:unaligned
            map.setAtIndex(JAVA_INT, PAGE / 4, 2); // site:atIndex
            ENTRY_VALUE.set(map, 2 * PAGE, 3L, 3); // site:layoutPath
            long before = (long) LONG.getAndAdd(map, 3 * PAGE, 4L); // site:getAndAdd
            boolean swapped = LONG.compareAndSet(map, 4 * PAGE, 0L, 5L); // site:cas
            MemorySegment.copy(source, 0, map, 5 * PAGE, 64); // site:copySegment
            MemorySegment.copy(new byte[32], 0, map, JAVA_BYTE, 6 * PAGE, 32); // site:copyArray
            map.asSlice(7 * PAGE, 128).copyFrom(source); // site:copyFrom
            map.asSlice(8 * PAGE, 128).fill((byte) 1); // site:fill
            map.setString(9 * PAGE, "hello"); // site:setString
            map.asSlice(10 * PAGE).set(JAVA_SHORT, 0, (short) 1); // site:slice
            System.out.println("11 segment store paths written, " + before + " " + swapped);
        } // site:close
    }
}
