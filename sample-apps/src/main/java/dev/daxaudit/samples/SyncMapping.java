package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import jdk.nio.mapmode.ExtendedMapMode;

/**
 * Sample (g): a MAP_SYNC mapping (JEP 352). It needs a DAX filesystem; elsewhere the JDK refuses it, and the
 * app reports the JDK's own exception. With DAX, it writes a record and forces it by cache-line writeback.
 */
public final class SyncMapping {
    private SyncMapping() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "sync.dat");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(ExtendedMapMode.READ_WRITE_SYNC, 0, 4096);
            map.putLong(0, 42L);
            map.force();
            System.out.println("MAP_SYNC mapping written and forced");
        } catch (Exception e) {
            System.out.println("map refused: " + e.getClass().getName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
