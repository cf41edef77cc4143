package dev.daxaudit.core;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A copy of a file that costs what the file holds, not its length: holes the filesystem reports are not read
 * ({@link FileExtents}), and blocks of zeros (holes, or zeros written) are not written, so a 10 GiB preallocated file with a few pages of data gives a copy of a few pages on disk. Through
 * RandomAccessFile, not FileChannel: in the audited JVM the agent hooks channels, and must not see its own copies.
 */
final class SparseCopy {
    private static final int BLOCK = 64 * 1024;
    private static final int PAGE = (int) Pages.PAGE_SIZE;

    private SparseCopy() {
    }

    /** Copies {@code from} to {@code to}, reading all of it; returns the 4 KiB pages that hold anything but zeros. */
    static java.util.BitSet copy(Path from, Path to) throws IOException {
        return copy(from, to, null);
    }

    /**
     * Copies {@code from} to {@code to}, reading only the byte ranges {@code extents} (pairs start, end, from
     * {@link FileExtents}; null: all of it), as what lies outside them is a hole; returns the 4 KiB pages that hold
     * anything but zeros.
     */
    static java.util.BitSet copy(Path from, Path to, long[] extents) throws IOException {
        java.util.BitSet data = new java.util.BitSet();
        try (RandomAccessFile in = new RandomAccessFile(from.toFile(), "r");
             RandomAccessFile out = new RandomAccessFile(to.toFile(), "rw")) {
            out.setLength(0);
            byte[] block = new byte[BLOCK];
            long length = in.length();
            long[] ranges = extents == null ? new long[] {0, length} : extents;
            for (int r = 0; r + 1 < ranges.length; r += 2) {
                // Whole pages: a data extent starts and ends on a block, and blocks are at most a page here.
                long end = Math.min(length, ranges[r + 1]);
                for (long at = ranges[r] / PAGE * PAGE; at < end; ) {
                    in.seek(at);
                    int want = (int) Math.min(BLOCK, end - at);
                    int n = 0;
                    for (int got; n < want && (got = in.read(block, n, want - n)) > 0; ) {
                        n += got;
                    }
                    if (n == 0) {
                        break; // shrunk while copied
                    }
                    if (!zeros(block, 0, n)) {
                        out.seek(at);
                        out.write(block, 0, n);
                        for (int page = 0; page < n; page += PAGE) {
                            if (!zeros(block, page, Math.min(n, page + PAGE)) && (at + page) / PAGE <= Integer.MAX_VALUE) {
                                data.set((int) ((at + page) / PAGE));
                            }
                        }
                    }
                    at += n;
                }
            }
            out.setLength(length); // a hole to the end where the tail was zeros
        }
        return data;
    }

    private static boolean zeros(byte[] block, int from, int n) {
        for (int i = from; i < n; i++) {
            if (block[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
