package dev.daxaudit.samples;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stores into a mapping at its raw address through {@code sun.misc.Unsafe}, as serialisers and off-heap libraries
 * do: page 0 is written through the buffer and forced, then page 2 is written through Unsafe and never forced.
 * Both trackers see it: the store hooks on {@code sun.misc.Unsafe} record the store with its line, as Netty's,
 * Agrona's and Chronicle's raw-address stores are; with {@code tracking=kernel} the kernel saw the page written and
 * the mapping's site stands in for the store's. Page 2 is an unsynced finding either way.
 */
public final class UnsafeStore {
    private UnsafeStore() {
    }

    public static void main(String[] args) throws Exception {
        Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
        long addressField = unsafe.objectFieldOffset(java.nio.Buffer.class.getDeclaredField("address"));
        try (FileChannel channel = FileChannel.open(Path.of(args[0], "unsafe.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096);
            buffer.putLong(0, 1);
            buffer.force();
            unsafe.putLong(unsafe.getLong(buffer, addressField) + 2 * 4096, 42); // site:raw
            System.out.println("page 0 forced, page 2 stored through Unsafe and not forced");
        } // site:close
    }
}
