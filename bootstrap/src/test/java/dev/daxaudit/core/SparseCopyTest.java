package dev.daxaudit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A first-map copy of a large preallocated file costs its data, not its length, and reads back the same. */
class SparseCopyTest {
    @TempDir
    Path dir;

    @Test
    void aGibibyteWithTwoDataPagesCopiesToTwoPagesOnDisk() throws Exception {
        Path from = dir.resolve("prealloc.dat");
        try (RandomAccessFile f = new RandomAccessFile(from.toFile(), "rw")) {
            f.setLength(1L << 30);
            f.seek(4096);
            f.write(new byte[] {1, 2, 3});
            f.seek((1L << 30) - 10);
            f.write(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9}); // the last bytes
        }
        Path to = dir.resolve("copy");
        SparseCopy.copy(from, to);
        assertEquals(Files.size(from), Files.size(to));
        assertTrue(allocatedBytes(to) <= 4 * 64 * 1024, "allocated: " + allocatedBytes(to));
        try (RandomAccessFile a = new RandomAccessFile(from.toFile(), "r");
             RandomAccessFile b = new RandomAccessFile(to.toFile(), "r")) {
            for (long pgoff : new long[] {0, 1, 2, (1L << 18) - 1}) {
                assertArrayEquals(CrashJournal.page(a, pgoff), CrashJournal.page(b, pgoff), "page " + pgoff);
            }
        }
    }

    @Test
    void onlyTheExtentsTheFilesystemNamesAreRead() throws Exception {
        Path from = dir.resolve("two-extents.dat");
        try (RandomAccessFile f = new RandomAccessFile(from.toFile(), "rw")) {
            f.setLength(64 * 4096);
            f.seek(3 * 4096 + 5);
            f.write(new byte[] {7});
            f.seek(40 * 4096);
            f.write(new byte[] {8}); // outside the extents given: taken as a hole, never read
        }
        Path to = dir.resolve("copy");
        java.util.BitSet data = SparseCopy.copy(from, to, new long[] {3 * 4096, 4 * 4096});
        assertEquals(java.util.BitSet.valueOf(new long[] {1L << 3}), data);
        assertEquals(Files.size(from), Files.size(to));
        try (RandomAccessFile b = new RandomAccessFile(to.toFile(), "r")) {
            assertEquals(7, CrashJournal.page(b, 3)[5]);
            assertArrayEquals(new byte[4096], CrashJournal.page(b, 40));
        }
    }

    @Test
    void anEmptyFileAndATailOfZerosKeepTheirLength() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));
        SparseCopy.copy(empty, dir.resolve("empty-copy"));
        assertEquals(0, Files.size(dir.resolve("empty-copy")));
        Path zeros = Files.write(dir.resolve("zeros"), new byte[100_000]);
        SparseCopy.copy(zeros, dir.resolve("zeros-copy"));
        assertEquals(100_000, Files.size(dir.resolve("zeros-copy")));
        assertEquals(0, allocatedBytes(dir.resolve("zeros-copy")));
    }

    private static long allocatedBytes(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] out = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
        stat.waitFor();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
