package dev.daxaudit.samples;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The indexes of a segmented message log, as brokers keep them: per segment an offset index (8-byte entries: a
 * 4-byte relative offset and a 4-byte file position) and a time index (12-byte entries: an 8-byte timestamp and a
 * 4-byte relative offset), each preallocated to 10 MiB and mapped whole, appended to, and forced every
 * {@value #FORCE_EVERY} entries. At each roll the index is trimmed to the bytes written. args[1]:
 * <ul>
 * <li>{@code trim}: the mapping is unmapped without a force, the file is shrunk with {@code setLength}, mapped again
 * at its new size, and the new mapping is forced over the same range: durable and correct;</li>
 * <li>{@code trim-last-unforced}: the same, but the last segment stays active and is never forced after its last
 * periodic force, as when the broker stops without a clean shutdown;</li>
 * <li>{@code live-trim}: the file is shrunk while the old mapping is still live (it is left to the GC), then mapped
 * again and forced: durable, but any access through the old mapping beyond the new end would fault.</li>
 * <li>{@code trim-after-force}: as {@code trim}, but the mapping is forced before it is unmapped: also durable on
 * DAX, where {@code trim} leaves the entries stored since the last periodic force to a truncate that deletes their
 * 2 MiB entry unwritten (hazard H7).</li>
 * </ul>
 * Prints, for the active segment of {@code trim-last-unforced}, the byte range stored since its last force.
 */
public final class PreallocatedIndex {
    static final int SEGMENTS = 12;
    static final int ENTRIES = 20_000;
    static final int FORCE_EVERY = 4_096;
    static final int PREALLOCATED = 10 << 20;

    private PreallocatedIndex() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[1];
        for (int segment = 0; segment < SEGMENTS; segment++) {
            boolean active = mode.equals("trim-last-unforced") && segment == SEGMENTS - 1;
            String base = String.format("%020d", (long) segment * ENTRIES);
            Index offsets = new Index(Path.of(args[0], base + ".index").toFile(), 8);
            Index times = new Index(Path.of(args[0], base + ".timeindex").toFile(), 12);
            for (int i = 0; i < ENTRIES; i++) {
                offsets.map.putInt(i); // site:offsetEntry
                offsets.map.putInt(i * 100);
                times.map.putLong(1_700_000_000_000L + i); // site:timeEntry
                times.map.putInt(i); // site:timeOffset
                if ((i + 1) % FORCE_EVERY == 0) {
                    offsets.force();
                    times.force();
                }
            }
            if (active) {
                System.out.println("active " + base + ".index unforced [" + offsets.forcedUpTo + ","
                        + offsets.map.position() + ")");
                System.out.println("active " + base + ".timeindex unforced [" + times.forcedUpTo + ","
                        + times.map.position() + ")");
            } else {
                if (mode.equals("trim-after-force")) {
                    offsets.force();
                    times.force();
                }
                offsets.roll(mode.equals("live-trim"));
                times.roll(mode.equals("live-trim"));
            }
        }
        System.out.println(SEGMENTS + " segments indexed (" + mode + ")");
    }

    /** One preallocated index file and its mapping. */
    private static final class Index {
        final RandomAccessFile file;
        MappedByteBuffer map;
        int forcedUpTo;

        Index(File path, int entrySize) throws IOException {
            file = new RandomAccessFile(path, "rw");
            file.setLength(PREALLOCATED);
            map = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PREALLOCATED);
        }

        void force() {
            map.force();
            forcedUpTo = map.position();
        }

        /** Trims the file to the entries written, remaps it at that size and forces the new mapping. */
        void roll(boolean live) throws Exception {
            int written = map.position();
            if (!live) {
                TruncateUnderMapping.unmap(map);
            }
            file.setLength(written); // site:trim
            map = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, written);
            map.force();
            file.close();
        }
    }
}
