package dev.daxaudit.core;

/**
 * The kernel model's block map of one file: which pages are holes, and which blocks a write fault allocated whose
 * allocation no sync has made durable yet. The size seen at the first map is taken as allocated (a sparse file's
 * own holes cannot be seen from Java); growth by {@code map()}, {@code setLength} or {@code truncate} adds holes;
 * the first write fault into a hole allocates the block ({@code get_block} with BH_New), the whole 2 MiB for a PMD
 * entry. An msync or fsync over an allocated block makes the allocation durable with the data
 * ({@code vfs_fsync_range} with datasync still writes the metadata needed to read it back); a MAP_SYNC fault does
 * so before it returns ({@code dax_finish_sync_fault}).
 */
final class BlockMap {
    private final PageRuns holes = new PageRuns();
    private final PageRuns allocatedNotDurable = new PageRuns();
    private final PageRuns allocatedAtSyncFault = new PageRuns();

    /** i_size grew from {@code oldPages} to {@code newPages} pages: the new pages are a hole. */
    void grow(long oldPages, long newPages) {
        holes.add(oldPages, newPages);
    }

    /** Blocks at or beyond page {@code firstGone} are freed. */
    void truncate(long firstGone) {
        holes.remove(firstGone, Long.MAX_VALUE);
        allocatedNotDurable.remove(firstGone, Long.MAX_VALUE);
        allocatedAtSyncFault.remove(firstGone, Long.MAX_VALUE);
    }

    /** {@code get_block} for a write fault over pages {@code [from, to)}; true when it allocated any block. */
    boolean allocate(long from, long to, boolean syncFault) {
        boolean allocated = false;
        for (long[] hole : holes.within(from, to)) {
            (syncFault ? allocatedAtSyncFault : allocatedNotDurable).add(hole[0], hole[1]);
            allocated = true;
        }
        holes.remove(from, to);
        return allocated;
    }

    /** An msync or fsync over {@code [from, to)} completed: allocations there are durable. */
    void synced(long from, long to) {
        allocatedNotDurable.remove(from, to);
        allocatedAtSyncFault.remove(from, to);
    }

    boolean allocationNotDurable(long pgoff) {
        return allocatedNotDurable.contains(pgoff);
    }

    boolean allocatedAtSyncFault(long pgoff) {
        return allocatedAtSyncFault.contains(pgoff);
    }
}
