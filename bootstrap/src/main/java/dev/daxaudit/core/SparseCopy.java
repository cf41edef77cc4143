package dev.daxaudit.core;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A copy of a file that costs what the file holds, not its length: blocks of zeros (holes, or zeros written) are
 * not written, so a 10 GiB preallocated file with a few pages of data gives a copy of a few pages on disk. Through
 * RandomAccessFile, not FileChannel: in the audited JVM the agent hooks channels, and must not see its own copies.
 */
final class SparseCopy {
    private static final int BLOCK = 64 * 1024;

    private SparseCopy() {
    }

    static void copy(Path from, Path to) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(from.toFile(), "r");
             RandomAccessFile out = new RandomAccessFile(to.toFile(), "rw")) {
            out.setLength(0);
            byte[] block = new byte[BLOCK];
            long length = in.length();
            for (long at = 0; at < length; ) {
                int n = 0;
                for (int r; n < BLOCK && (r = in.read(block, n, BLOCK - n)) > 0; ) {
                    n += r;
                }
                if (n == 0) {
                    break; // shrunk while copied
                }
                if (!zeros(block, n)) {
                    out.seek(at);
                    out.write(block, 0, n);
                }
                at += n;
            }
            out.setLength(length); // a hole to the end where the tail was zeros
        }
    }

    private static boolean zeros(byte[] block, int n) {
        for (int i = 0; i < n; i++) {
            if (block[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
