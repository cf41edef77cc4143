package dev.daxaudit.core;

import java.io.RandomAccessFile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One file of a {@link CrashJournal}: first seen mapped or written through the write family, numbered in that
 * order. A mapped file's stores are its {@link AddressSpace}'s; the pages written through {@code write(2)} (which the
 * mapping's stores do not see) are kept here, pending until a sync covers them: the page cache is one, so an fsync or
 * fdatasync of the file, or an msync of a range over them, writes them back.
 *
 * <p>Guarded by the journal's monitor.
 */
final class JournaledFile {
    final int index;
    final FileId id;
    final String path;
    /** Its name now, as the program's renames moved it: a file only written is read by this name. */
    String currentPath;
    /** Its other names now, given by hard links: an unlink of {@link #currentPath} leaves it under one of them. */
    final java.util.List<String> otherNames = new java.util.ArrayList<>(0);
    /**
     * On fs-dax: a write(2) copies into the persistent memory and flushes it before it returns
     * ({@code dax_iomap_rw} -> {@code dax_copy_from_iter}, {@code _copy_from_iter_flushcache}), so written pages are
     * durable at once; only a size it changes waits for a sync.
     */
    boolean dax;
    /** The file's mapping, once it was mapped. */
    AddressSpace space;
    /** The size a sync last made durable (first sight, then each sync). */
    long durableSize;
    /** The descriptor opened at first sight, or null where it could not be opened. */
    RandomAccessFile reader;
    /**
     * Pages taken to have blocks allocated: non-zero at first sight, or made durable by a sync since. A sync that
     * writes back any other page allocates blocks, which on ext4 moves the inode's datasync transaction
     * ({@code ext4_map_blocks} -> {@code ext4_update_inode_fsync_trans(handle, inode, 1)}): even an msync commits then.
     * A page of zeros written before the run counts as a hole: more commits, never a state the kernel cannot leave.
     */
    java.util.BitSet allocated = new java.util.BitSet();
    /** Pages written through the write family and not yet durable, in the order first written, with that write. */
    final Map<Long, Event> written = new LinkedHashMap<>();
    /** Its syncs in flight, started and not yet returned (another thread may write meanwhile). */
    final java.util.List<PathSync> syncing = new java.util.ArrayList<>(0);

    JournaledFile(int index, FileId id, String path, long size) {
        this.index = index;
        this.id = id;
        this.path = path;
        this.currentPath = path;
        this.durableSize = size;
    }
}
