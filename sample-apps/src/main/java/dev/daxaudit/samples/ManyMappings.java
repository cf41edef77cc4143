package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * args[1] files (default 20,000), one page each, mapped, stored into and kept mapped to the end; every args[2]-th
 * one is forced (0, the default: none). For the memory the agent takes per mapping: the application, fine alone in
 * a small heap, must stay fine under the agent.
 */
public final class ManyMappings {
    private ManyMappings() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int forceEvery = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        List<MappedByteBuffer> live = new ArrayList<>(files);
        for (int i = 0; i < files; i++) {
            try (FileChannel channel = FileChannel.open(dir.resolve("m" + i), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
                map.put(0, (byte) 1);
                if (forceEvery > 0 && i % forceEvery == 0) {
                    map.force();
                }
                live.add(map);
            }
        }
        System.out.println(live.size() + " live mappings");
    }
}
