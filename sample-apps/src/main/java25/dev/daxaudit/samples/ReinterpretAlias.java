package dev.daxaudit.samples;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes page 1 of a mapped segment through a raw alias, {@code MemorySegment.ofAddress(...).reinterpret(...)},
 * as code that passes addresses around does. The store must still be attributed to the file and page.
 */
public final class ReinterpretAlias {
    private ReinterpretAlias() {
    }

    public static void main(String[] args) throws Exception {
        Arena arena = Arena.ofShared(); // never closed: the mapping lives until exit
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "alias.seg"), StandardOpenOption.CREATE,
                     StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096, arena);
            MemorySegment alias = MemorySegment.ofAddress(map.address() + 4096).reinterpret(4096);
            alias.set(JAVA_INT, 16, 7); // site:alias
            System.out.println("wrote through a reinterpreted alias");
        } // site:close
    }
}
