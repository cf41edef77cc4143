package dev.daxaudit.samples;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kernel scenarios that the fs-dax guest test runs against a real DAX kernel, one per mode, each on its own
 * file {@code <dir>/<mode>.dat}, created empty and grown by the mapping itself (so every page starts as a hole):
 * <ul>
 *   <li>{@code pte}: a 64 KiB mapping (too small for a PMD entry), one store into each of its 16 pages, force().
 *   <li>{@code pmd}: a 4 MiB mapping, one store into each of its 1,024 pages, force().
 *   <li>{@code partial}: the same 4 MiB, all dirty, then {@code force(0, 32 KiB)} only: the kernel writes back whole
 *       entries, so the bytes flushed depend on the entry size, while only 8 pages are durable for the program.
 *   <li>{@code unmap-fsync}: 16 pages stored, the mapping unmapped without a force, then an fsync of the file.
 *   <li>{@code sync}: a {@code READ_WRITE_SYNC} (MAP_SYNC) mapping of 64 KiB, one store into each of 3 pages, then
 *       {@code force(4096, 4096)}: page 1's line written back by the CPU, pages 0 and 2 not.
 * </ul>
 */
public final class DaxScenarios {
    private static final int PAGE = 4096;

    private DaxScenarios() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[1];
        Path file = Path.of(args[0], mode + ".dat");
        Files.deleteIfExists(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            switch (mode) {
                case "pte" -> storeEachPage(map(channel, 16 * PAGE, FileChannel.MapMode.READ_WRITE), 16).force();
                case "pmd" -> storeEachPage(map(channel, 1024 * PAGE, FileChannel.MapMode.READ_WRITE), 1024).force();
                case "partial" -> storeEachPage(map(channel, 1024 * PAGE, FileChannel.MapMode.READ_WRITE), 1024)
                        .force(0, 8 * PAGE);
                case "unmap-fsync" -> {
                    unmap(storeEachPage(map(channel, 16 * PAGE, FileChannel.MapMode.READ_WRITE), 16));
                    channel.force(true);
                }
                case "sync" -> storeEachPage(map(channel, 16 * PAGE, jdk.nio.mapmode.ExtendedMapMode.READ_WRITE_SYNC), 3)
                        .force(PAGE, PAGE);
                default -> throw new IllegalArgumentException("no scenario " + mode);
            }
        }
        System.out.println(mode + " done");
    }

    /** Maps a new, empty file at {@code size} bytes: map() grows it with ftruncate, so every page is a hole. */
    private static MappedByteBuffer map(FileChannel channel, int size, FileChannel.MapMode mode) throws IOException {
        return channel.map(mode, 0, size);
    }

    private static MappedByteBuffer storeEachPage(MappedByteBuffer map, int pages) {
        for (int page = 0; page < pages; page++) {
            map.putLong(page * PAGE, page + 1L);
        }
        return map;
    }

    private static void unmap(MappedByteBuffer map) throws ReflectiveOperationException {
        Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        ((sun.misc.Unsafe) field.get(null)).invokeCleaner(map);
    }
}
