package dev.daxaudit.samples;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A loop of {@code sun.misc.Unsafe.putLong} at raw addresses, run until the JIT has compiled it (12.8 million stores
 * into a mapping that is then forced), then once more into a second mapping that is never forced: the 64 pages of
 * the second mapping are one finding, so the hook survives compilation.
 */
public final class UnsafeCompiledLoop {
    private static final int PAGES = 64;
    private static sun.misc.Unsafe unsafe;

    private UnsafeCompiledLoop() {
    }

    static void store(long base, long value) {
        for (int i = 0; i < PAGES; i++) {
            unsafe.putLong(base + (long) i * 4096 + (value & 8), value); // site:loop
        }
    }

    public static void main(String[] args) throws Exception {
        Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
        long addressField = unsafe.objectFieldOffset(java.nio.Buffer.class.getDeclaredField("address"));
        try (FileChannel warm = FileChannel.open(Path.of(args[0], "warm.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel cold = FileChannel.open(Path.of(args[0], "cold.dat"), StandardOpenOption.CREATE,
                     StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer w = warm.map(FileChannel.MapMode.READ_WRITE, 0, PAGES * 4096);
            MappedByteBuffer c = cold.map(FileChannel.MapMode.READ_WRITE, 0, PAGES * 4096);
            for (int round = 0; round < 200_000; round++) {
                store(unsafe.getLong(w, addressField), round);
            }
            w.force();
            store(unsafe.getLong(c, addressField), 7);
            System.out.println("stored");
        }
    }
}
