package dev.daxaudit.samples;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sample (i): writes two pages and unmaps the buffer at once with {@code Unsafe.invokeCleaner}, as libraries
 * that cannot wait for the GC do, without forcing first. Both pages are lost at that unmap.
 */
public final class UnmapWithoutForce {
    private UnmapWithoutForce() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "unmapped.dat");
        Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096);
            for (int page = 0; page < 2; page++) {
                map.putLong(page * 4096, page); // site:write
            }
            unsafe.invokeCleaner(map); // site:unmap
            System.out.println("2 pages written, unmapped without force");
        } // site:close
    }
}
