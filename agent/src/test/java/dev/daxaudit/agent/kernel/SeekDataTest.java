package dev.daxaudit.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lseek SEEK_DATA/SEEK_HOLE on the build machine's filesystem: a sparse file's holes are not reported as data,
 * so the crash journal never reads them. (A filesystem without hole tracking would report the whole file: the
 * test says so rather than pass on nothing.)
 */
class SeekDataTest {
    @TempDir
    Path dir;

    @Test
    void aGibibytePreallocatedFileWithTwoWrittenPagesHasTwoSmallDataRanges() throws Exception {
        Path file = dir.resolve("prealloc.dat");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1L << 30);
            f.seek(4096);
            f.write(new byte[] {1, 2, 3});
            f.seek((1L << 30) - 10);
            f.write(new byte[10]);
        }
        long[] ranges = SeekData.create().data(file.toString());
        assertTrue(ranges != null && ranges.length >= 2 && ranges.length % 2 == 0, "ranges " + show(ranges));
        long covered = 0;
        for (int r = 0; r < ranges.length; r += 2) {
            assertTrue(ranges[r] < ranges[r + 1] && (r == 0 || ranges[r] >= ranges[r - 1]), show(ranges));
            covered += ranges[r + 1] - ranges[r];
        }
        assertTrue(covered < (1L << 30), "this filesystem reports no holes: " + show(ranges)
                + " (" + Files.getFileStore(file).type() + ")");
        assertTrue(covered <= 4L << 20, "covered " + covered + ": " + show(ranges));
        assertTrue(ranges[0] <= 4096 && ranges[1] >= 4099, show(ranges));
        assertEquals(1L << 30, ranges[ranges.length - 1], show(ranges));
    }

    @Test
    void aFileOfHolesOnlyHasNoDataAndAnEmptyFileNone() throws Exception {
        Path holes = dir.resolve("holes");
        try (RandomAccessFile f = new RandomAccessFile(holes.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        assertArrayEquals(new long[0], SeekData.create().data(holes.toString()));
        assertArrayEquals(new long[0], SeekData.create().data(Files.createFile(dir.resolve("empty")).toString()));
    }

    @Test
    void aMissingFileIsAnIoExceptionThatNamesIt() {
        IOException e = assertThrows(IOException.class, () -> SeekData.create().data(dir.resolve("gone").toString()));
        assertTrue(e.getMessage().contains("gone") && e.getMessage().contains("errno 2"), e.getMessage());
    }

    private static String show(long[] ranges) {
        return java.util.Arrays.toString(ranges);
    }
}
