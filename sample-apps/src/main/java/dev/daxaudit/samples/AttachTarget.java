package dev.daxaudit.samples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A long-running app for dynamic attach: maps and writes early.dat, prints "ready", and waits for "go" on stdin
 * (the agent attaches meanwhile); then maps and writes two pages of late.dat, prints "written", and waits for
 * "exit". Nothing is forced.
 */
public final class AttachTarget {
    private AttachTarget() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        MappedByteBuffer early = map(Path.of(args[0], "early.dat"), 4096);
        early.putLong(0, 1L);
        System.out.println("ready");
        expect(in, "go");
        MappedByteBuffer late = map(Path.of(args[0], "late.dat"), 2 * 4096);
        late.putLong(0, 2L); // site:late
        late.putLong(4096, 3L);
        early.putLong(8, 4L); // into a mapping the agent never saw: not audited
        System.out.println("written");
        expect(in, "exit");
    }

    private static MappedByteBuffer map(Path file, int size) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    private static void expect(BufferedReader in, String word) throws Exception {
        String line = in.readLine();
        if (!word.equals(line)) {
            throw new IllegalStateException("expected " + word + ", got " + line);
        }
    }
}
