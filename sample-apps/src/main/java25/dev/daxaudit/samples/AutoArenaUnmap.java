package dev.daxaudit.samples;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Maps a segment in an automatic arena, writes a page and drops the segment: the garbage collector unmaps it.
 * The JDK's "mapped" buffer pool tells when that happened; the page is lost at that unmap.
 */
public final class AutoArenaUnmap {
    private AutoArenaUnmap() {
    }

    public static void main(String[] args) throws Exception {
        BufferPoolMXBean mappedPool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("mapped")).findFirst().orElseThrow();
        writeAndForget(Path.of(args[0], "auto.seg"));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (mappedPool.getCount() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20); // polling the pool, not ordering threads: the cleaner runs when it runs
        }
        System.out.println(mappedPool.getCount() == 0 ? "unmapped by the GC" : "still mapped after 20 s");
    }

    private static void writeAndForget(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096, Arena.ofAuto());
            map.set(JAVA_LONG, 0, 1L); // site:write
        }
    }
}
