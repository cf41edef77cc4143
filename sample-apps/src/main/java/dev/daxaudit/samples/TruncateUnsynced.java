package dev.daxaudit.samples;

import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Sample (j): shrinks mapped files that hold unsynced stores, once with {@code RandomAccessFile.setLength} and
 * once with {@code FileChannel.truncate}. Unsynced pages beyond the new end are lost at the truncate; unsynced
 * pages below it are still unsynced at exit.
 */
public final class TruncateUnsynced {
    private static final int PAGE = 4096;

    /**
     * Both mappings, reachable through the exit report (a shutdown hook, after main returned): a GC there would
     * unmap them first (CI runs on JDK 25 saw the Cleaner do so; a reachability fence in main ends too early).
     */
    private static final java.util.List<MappedByteBuffer> LIVE = new java.util.ArrayList<>();

    private TruncateUnsynced() {
    }

    public static void main(String[] args) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(Path.of(args[0], "setlength.dat").toFile(), "rw")) {
            MappedByteBuffer map = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, 4 * PAGE);
            LIVE.add(map);
            for (int page = 0; page < 4; page++) {
                map.putLong(page * PAGE, page); // site:write
            }
            map.force(0, PAGE);
            raf.setLength(2 * PAGE); // site:setLength
        } // site:close1
        try (RandomAccessFile raf = new RandomAccessFile(Path.of(args[0], "truncate.dat").toFile(), "rw")) {
            FileChannel ch = raf.getChannel();
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2 * PAGE);
            LIVE.add(map);
            map.putLong(0, 1); // site:write2
            map.putLong(PAGE, 2); // site:write3
            ch.truncate(PAGE); // site:truncate
        } // site:close2
        System.out.println("two files shrunk under unsynced mappings");
    }
}
