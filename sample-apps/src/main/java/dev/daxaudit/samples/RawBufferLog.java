package dev.daxaudit.samples;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A log written through a raw-address buffer of its own, the way Agrona's {@code UnsafeBuffer} and Chronicle's
 * {@code Bytes} are written: the mapping's address and capacity taken once, then {@code putLong}, {@code putInt} and
 * {@code copyMemory} from a heap array at {@code address + index}, never through the ByteBuffer. {@code unforced}:
 * two pages of records never forced (one finding, the buffer's store sites); {@code forced}: forced (clean).
 */
public final class RawBufferLog {
    private RawBufferLog() {
    }

    /** An off-heap buffer over raw memory: bounds are the caller's business, as in the libraries it imitates. */
    static final class RawBuffer {
        private static final sun.misc.Unsafe UNSAFE = unsafe();
        private static final long BYTE_ARRAY_BASE = UNSAFE.arrayBaseOffset(byte[].class);
        private final long address;

        RawBuffer(long address) {
            this.address = address;
        }

        void putLong(long index, long value) {
            UNSAFE.putLong(address + index, value); // site:raw-long
        }

        void putInt(long index, int value) {
            UNSAFE.putInt(address + index, value); // site:raw-int
        }

        void putBytes(long index, byte[] src) {
            UNSAFE.copyMemory(src, BYTE_ARRAY_BASE, null, address + index, src.length); // site:raw-copy
        }

        /** A direct buffer's address, read from its field as the libraries do. */
        static long addressOf(java.nio.ByteBuffer buffer) throws NoSuchFieldException {
            return UNSAFE.getLong(buffer, UNSAFE.objectFieldOffset(java.nio.Buffer.class.getDeclaredField("address")));
        }

        private static sun.misc.Unsafe unsafe() {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                return (sun.misc.Unsafe) f.get(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        boolean forced = args[1].equals("forced");
        try (FileChannel channel = FileChannel.open(Path.of(args[0], "raw.log"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096);
            RawBuffer log = new RawBuffer(RawBuffer.addressOf(mapped));
            byte[] payload = new byte[2000];
            long at = 0;
            for (int i = 0; i < 4; i++) {
                log.putInt(at, payload.length);
                log.putLong(at + 4, i);
                log.putBytes(at + 12, payload);
                at += 12 + payload.length;
            }
            if (forced) {
                mapped.force();
            }
            System.out.println(at + " bytes logged");
        }
    }
}
