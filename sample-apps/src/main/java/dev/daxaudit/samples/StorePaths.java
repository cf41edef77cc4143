package dev.daxaudit.samples;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sample (f): one store path per page, and no force. Each page of the report must name its own line: relative
 * and absolute puts, bulk puts, view buffers, slices of duplicates, VarHandles, {@code put(ByteBuffer)},
 * {@code compact()} and a file read into the mapping.
 */
public final class StorePaths {
    private static final int PAGE = 4096;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private StorePaths() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "paths.dat");
        Path source = Path.of(args[0], "source.dat");
        Files.write(source, new byte[PAGE]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             FileChannel src = FileChannel.open(source, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 12 * PAGE);

            map.putInt(1); // site:relative
            map.putShort(PAGE, (short) 1); // site:absolute
            map.put(2 * PAGE, new byte[64]); // site:bulk
            map.asLongBuffer().put(3 * PAGE / 8, 7L); // site:view
            map.duplicate().position(4 * PAGE).slice().putDouble(0, 1.0); // site:slice
            LONGS.set(map, 5 * PAGE, 5L); // site:varhandle
            map.position(6 * PAGE);
            map.put(ByteBuffer.wrap(new byte[32])); // site:putBuffer
            map.clear();
            ByteBuffer window = map.slice(7 * PAGE, PAGE);
            window.position(100);
            window.compact(); // site:compact
            src.read(map.slice(8 * PAGE, PAGE), 0); // site:read
            boolean swapped = LONGS.compareAndSet(map, 9 * PAGE, 0L, 9L); // site:cas
            map.asIntBuffer().put(10 * PAGE / 4, new int[] {1, 2, 3}); // site:viewBulk
            System.out.println("11 store paths written, cas " + swapped);
        } // site:close
    }
}
