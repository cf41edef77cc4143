package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import jdk.internal.misc.Unsafe;

/**
 * Stores into a mapping by calling {@code jdk.internal.misc.Unsafe} directly, as a library built and run with
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} does: a {@code putLong} at the mapping's address
 * (page 0), a {@code putIntRelease} with a null base (page 1), a {@code copyMemory} from direct memory (page 2), a
 * {@code setMemory} (page 3) and a successful {@code compareAndSetLong} (page 4); a failed {@code compareAndSetLong}
 * (page 5) stores nothing. With {@code forced} the mapping is forced at the end, otherwise it is left unsynced.
 * Compiled apart (src/main/java-internal) because {@code --add-exports} cannot go with {@code --release}.
 */
public final class InternalUnsafeCallSites {
    private static final Unsafe UNSAFE = Unsafe.getUnsafe();

    private InternalUnsafeCallSites() {
    }

    public static void main(String[] args) throws Exception {
        boolean forced = args.length > 1 && args[1].equals("forced");
        try (FileChannel channel = FileChannel.open(Path.of(args[0], "internal-calls.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 6 * 4096);
            long address = ((sun.nio.ch.DirectBuffer) buffer).address();
            UNSAFE.putLong(address, 42L); // site:put-long
            UNSAFE.putIntRelease(null, address + 4096, 7); // site:put-int-release
            // The copy's source off the heap: the array base offset's type differs between JDK 17 and 25.
            java.nio.ByteBuffer record = java.nio.ByteBuffer.allocateDirect(64).put(0, (byte) 1);
            long from = ((sun.nio.ch.DirectBuffer) record).address();
            UNSAFE.copyMemory(null, from, null, address + 2 * 4096, 64); // site:copy
            UNSAFE.setMemory(address + 3 * 4096, 16, (byte) 9); // site:set
            boolean swapped = UNSAFE.compareAndSetLong(null, address + 4 * 4096, 0L, 5L); // site:cas
            boolean failed = UNSAFE.compareAndSetLong(null, address + 5 * 4096, 1L, 6L); // site:cas-failed
            if (forced) {
                buffer.force();
            }
            System.out.println("stored through jdk.internal.misc.Unsafe call sites: cas " + swapped + ", " + failed
                    + (forced ? ", forced" : ", not forced"));
        }
    }
}
