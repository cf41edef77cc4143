package dev.daxaudit.samples;

import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stores into a mapping through {@code jdk.internal.misc.Unsafe} reached by reflection (it needs
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}), which no store hook sees and no call site of the
 * application's shows (a direct call is rewritten: {@code InternalUnsafeCallSites}), then forces the mapping:
 * the report has no finding (the store was forced anyway) but says the file was forced with no store seen, and that
 * {@code tracking=kernel} would see such stores.
 */
public final class InternalUnsafeStore {
    private InternalUnsafeStore() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = type.getMethod("getUnsafe").invoke(null);
        Method putLong = type.getMethod("putLong", long.class, long.class);
        Method address = Class.forName("sun.nio.ch.DirectBuffer").getMethod("address");
        try (FileChannel channel = FileChannel.open(Path.of(args[0], "internal.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            putLong.invoke(unsafe, (long) address.invoke(buffer), 42L);
            buffer.force();
            System.out.println("stored through jdk.internal.misc.Unsafe and forced");
        }
    }
}
