package dev.daxaudit.samples;

import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sample (h): stores through a mapping made durable by fsync on other descriptors of the same file, as
 * stores that share a file between a mmap writer and a stream or channel owner do: first
 * {@code FileDescriptor.sync()} of a RandomAccessFile, then {@code FileChannel.force(true)} of a second channel.
 * fsync writes back every dirty page of the file. Correct: no finding.
 */
public final class FsyncThroughOtherDescriptors {
    private static final int PAGE = 4096;

    private FsyncThroughOtherDescriptors() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "fsynced.dat");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * PAGE);
            map.putLong(0, 1);
            map.putLong(PAGE, 2);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.getFD().sync();
            }
            map.putLong(2 * PAGE, 3);
            map.putLong(3 * PAGE, 4);
            try (FileChannel other = FileChannel.open(file, StandardOpenOption.WRITE)) {
                other.force(true);
            }
            System.out.println("4 pages written, synced through two other descriptors");
        }
    }
}
