package dev.daxaudit.samples;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A writeback that fails: one page is stored, the channel is closed, and an fsync through that closed channel
 * throws {@code ClosedChannelException}, which the app catches and prints. The failed fsync must make nothing
 * durable (page 0 stays unsynced) and must reach the app exactly as it would without the agent.
 */
public final class FailingWriteback {
    private FailingWriteback() {
    }

    public static void main(String[] args) throws IOException {
        FileChannel channel = FileChannel.open(Path.of(args[0], "failing.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
        map.putLong(0, 42);
        channel.close();
        try {
            channel.force(true);
            System.out.println("fsync of a closed channel returned");
        } catch (ClosedChannelException e) {
            System.out.println("fsync failed: " + e.getClass().getSimpleName());
        }
    }
}
