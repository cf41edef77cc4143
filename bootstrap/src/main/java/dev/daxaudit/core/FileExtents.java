package dev.daxaudit.core;

import java.io.IOException;

/**
 * Where a file may hold data, as the filesystem says through {@code lseek(2)} with {@code SEEK_DATA} and
 * {@code SEEK_HOLE} (on ext4 {@code ext4_llseek} → {@code iomap_seek_data}/{@code iomap_seek_hole}; a filesystem
 * without hole tracking answers with the whole file, {@code generic_file_llseek_size}). The crash journal's
 * first-sight copy reads only these ranges, so a 10 GiB preallocated file with a few pages written costs those
 * pages, not 10 GiB of zeros read and compared. The JDK has no API for it: the agent supplies one through FFM
 * where the JDK has FFM (22+); elsewhere {@link #UNKNOWN} has the whole file read.
 */
public interface FileExtents {
    /** Answers that it cannot tell: the whole file is read, and blocks of zeros found by comparing. */
    FileExtents UNKNOWN = path -> null;

    /**
     * The byte ranges of {@code path} that may hold data, as pairs {@code start, end} in ascending order, over the
     * file's length as it is now; an empty array for a file of holes only; null when this cannot tell.
     */
    long[] data(String path) throws IOException;
}
