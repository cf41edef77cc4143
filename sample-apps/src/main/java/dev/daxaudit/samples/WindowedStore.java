package dev.daxaudit.samples;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * An embedded store's data file, grown in 1 MiB windows: when the append position reaches the end of the file, the
 * next window is mapped, which grows the file. Each commit forces the windows written since the last commit, then
 * writes the header (commit count and append position, in window 0) and forces the header page. At close, a last
 * header write marks the store closed, and is never forced: one unsynced page.
 */
public final class WindowedStore {
    static final int WINDOW = 1 << 20;
    private static final int HEADER = 4096;
    private static final int COMMITS = 30;
    private static final int RECORDS_PER_COMMIT = 200;

    private final FileChannel channel;
    private final List<MappedByteBuffer> windows = new ArrayList<>();
    private final BitSet written = new BitSet();
    private long position = HEADER;
    private int commits;

    private WindowedStore(FileChannel channel) {
        this.channel = channel;
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0], "store.db"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            WindowedStore store = new WindowedStore(ch);
            for (int c = 0; c < COMMITS; c++) {
                for (int r = 0; r < RECORDS_PER_COMMIT; r++) {
                    store.put(c, r);
                }
                store.commit();
            }
            store.close();
            System.out.println(store.commits + " commits in " + store.windows.size() + " windows");
        } // site:close
    }

    private MappedByteBuffer window(int index) throws Exception {
        while (windows.size() <= index) {
            windows.add(channel.map(FileChannel.MapMode.READ_WRITE, (long) windows.size() * WINDOW, WINDOW));
        }
        return windows.get(index);
    }

    /** Appends a record of a length that varies with its key; records never straddle windows. */
    private void put(int commit, int record) throws Exception {
        int length = 100 + (commit * 31 + record * 17) % 900;
        if (position % WINDOW + length > WINDOW) {
            position += WINDOW - position % WINDOW;
        }
        int index = (int) (position / WINDOW);
        MappedByteBuffer w = window(index);
        int at = (int) (position % WINDOW);
        w.putInt(at, length); // site:record
        for (int i = 4; i < length; i += 8) {
            w.put(at + i, (byte) record);
        }
        written.set(index);
        position += length;
    }

    private void commit() throws Exception {
        for (int i = written.nextSetBit(0); i >= 0; i = written.nextSetBit(i + 1)) {
            windows.get(i).force();
        }
        written.clear();
        MappedByteBuffer header = window(0);
        header.putInt(0, ++commits); // site:commitHeader
        header.putLong(8, position);
        header.force(0, HEADER);
    }

    private void close() throws Exception {
        window(0).putInt(16, 1); // site:closedFlag
    }
}
