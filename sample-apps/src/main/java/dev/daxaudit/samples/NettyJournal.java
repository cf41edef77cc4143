package dev.daxaudit.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A message journal whose records go through a Netty {@code ByteBuf} wrapping a mapped buffer, as network servers
 * that persist what they receive do: Netty writes at the mapping's raw address through {@code sun.misc.Unsafe}, never
 * through the buffer. {@code unforced}: three pages of records, never forced (one finding, its store sites in
 * Netty's code under the sample's own frames). {@code forced}: the mapping forced after the records (clean).
 */
public final class NettyJournal {
    private NettyJournal() {
    }

    public static void main(String[] args) throws Exception {
        boolean forced = args[1].equals("forced");
        try (FileChannel channel = FileChannel.open(Path.of(args[0], "journal.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096);
            ByteBuf journal = Unpooled.wrappedBuffer(mapped);
            journal.writerIndex(0);
            byte[] payload = new byte[1000];
            for (int i = 0; i < 12; i++) {
                journal.writeLong(i); // site:netty-header
                journal.writeBytes(payload); // site:netty-payload
            }
            if (forced) {
                mapped.force();
            }
            System.out.println(journal.getClass().getSimpleName() + ": " + journal.writerIndex() + " bytes journalled");
        }
    }
}
