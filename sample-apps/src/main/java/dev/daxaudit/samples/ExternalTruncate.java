package dev.daxaudit.samples;

import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Another process (coreutils' {@code truncate}) shrinks a mapped file the agent never saw truncated; the next store
 * into the cut-off page faults, and the JVM raises an InternalError (on JDK 17 asynchronously, at the next point the
 * thread checks, which may be inside a hook). Not caught here: the application dies of it, with or without the
 * agent, and never prints "not reached".
 */
public final class ExternalTruncate {
    private static final int PAGE = 4096;

    private ExternalTruncate() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "external.dat");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            MappedByteBuffer map = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, 2 * PAGE);
            map.putLong(0, 1L);
            Process truncate = new ProcessBuilder("truncate", "-s", Integer.toString(PAGE), file.toString()).start();
            if (truncate.waitFor() != 0) {
                throw new IllegalStateException("truncate failed");
            }
            map.putLong(PAGE, 42L); // beyond the new end: SIGBUS
            System.out.println("not reached");
        }
    }
}
