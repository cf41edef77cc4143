package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sample (e): a copy-on-write (PRIVATE) mapping used as scratch space. Its stores never reach the file, so
 * nothing needs forcing. Correct: no finding.
 */
public final class PrivateMapping {
    private PrivateMapping() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0], "template.dat");
        Files.write(file, new byte[4 * 4096]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer scratch = ch.map(FileChannel.MapMode.PRIVATE, 0, 4 * 4096);
            for (int i = 0; i < 4 * 4096; i += 8) {
                scratch.putLong(i, -1L);
            }
            System.out.println("scratch written, file untouched: " + Files.readAllBytes(file)[0]);
        }
    }
}
