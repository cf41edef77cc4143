package dev.daxaudit.benchmarks;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload {@code BenchmarkMain} runs with and without the agent in a 256 MiB heap to show what a mapping costs:
 * args[1] files of one page each, mapped, stored into and kept mapped to the end, every other one forced.
 */
public final class ManyMappingsWorkload {
    private ManyMappingsWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int files = Integer.parseInt(args[1]);
        List<MappedByteBuffer> live = new ArrayList<>(files);
        for (int i = 0; i < files; i++) {
            try (FileChannel channel = FileChannel.open(dir.resolve("m" + i), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
                map.put(0, (byte) 1);
                if (i % 2 == 0) {
                    map.force();
                }
                live.add(map);
            }
        }
        System.out.println(live.size() + " live mappings");
    }
}
