package dev.daxaudit.samples;

import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Goes once through every event the agent hooks: map, store, force, fsync through the channel and through the
 * descriptor, unmap, truncate, setLength and close, and leaves one page unsynced. The failpoint tests run it with
 * each hook failing on purpose: its output must not change.
 */
public final class EveryHook {
    private EveryHook() {
    }

    public static void main(String[] args) throws Exception {
        long checksum = 0;
        try (RandomAccessFile raf = new RandomAccessFile(Path.of(args[0], "hooks.dat").toFile(), "rw")) {
            FileChannel ch = raf.getChannel();
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8 * 4096);
            for (int page = 0; page < 8; page++) {
                map.putLong(page * 4096, page + 1);
            }
            map.force(0, 4096);
            ch.force(true);
            raf.getFD().sync();
            map.putLong(4096, 99L);
            MappedByteBuffer other = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            other.putInt(16, 7);
            other.force();
            TruncateUnderMapping.unmap(other);
            TruncateUnderMapping.unmap(map);
            raf.setLength(6 * 4096);
            ch.truncate(5 * 4096);
            MappedByteBuffer again = ch.map(FileChannel.MapMode.READ_WRITE, 0, 5 * 4096);
            for (int page = 0; page < 5; page++) {
                checksum += again.getLong(page * 4096);
            }
            again.putLong(2 * 4096 + 8, checksum); // left unsynced
        }
        System.out.println("every hook done, checksum " + checksum);
    }
}
