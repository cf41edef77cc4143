package dev.daxaudit.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The live shared writable mappings of one file (the kernel's {@code i_mmap} tree, as a list), with what the file's
 * events do to their page tables: a writeback start makes stored pages fault again, a truncate write-protects (zaps)
 * everything from the new end. Also the history of every mapping, for the report. Guarded by the owning
 * {@link AddressSpace}'s monitor.
 */
final class FileMappings {
    private final List<Vma> live = new ArrayList<>();
    /** Null for a file summarised at first sight ({@link DetailBudget}). */
    private final MappingHistory history;
    /** Bytes stored through mappings already unmapped (the live ones count their own). */
    private long bytesStoredByUnmapped;

    FileMappings(boolean keepHistory) {
        history = keepHistory ? new MappingHistory() : null;
    }

    void mapped(Vma vma) {
        if (vma.mode.isSharedWritable()) {
            live.add(vma);
        }
        if (history != null) {
            history.mapped(vma);
        }
    }

    void unmapped(Vma vma) {
        vma.live = false;
        live.remove(vma);
        if (history != null) {
            history.unmapped(vma);
        }
        bytesStoredByUnmapped += vma.bytesStored();
    }

    /** The live mappings: the caller iterates under the file's monitor and never keeps the list. */
    List<Vma> live() {
        return live;
    }

    /** Whether a live mapping covers file page {@code pgoff}. */
    boolean cover(long pgoff) {
        for (Vma vma : live) {
            if (vma.covers(pgoff)) {
                return true;
            }
        }
        return false;
    }

    /** A writeback started over stored page {@code p}: its next store through any normal mapping takes the slow path. */
    void writebackStarted(StoredPage p) {
        for (Vma vma : live) {
            if (p.dirty && vma.covers(p.pgoff) && !vma.isSync()) {
                vma.unmarkStored((int) (p.pgoff - vma.pgoff));
            }
        }
    }

    /** A cache flush started over {@code lines} of page {@code pgoff}: the next store to them through MAP_SYNC. */
    void cacheFlushStarted(long pgoff, long lines) {
        for (Vma vma : live) {
            if (vma.isSync() && vma.covers(pgoff)) {
                vma.unmarkLines((int) (pgoff - vma.pgoff), lines);
            }
        }
    }

    /**
     * {@code unmap_mapping_range} from file page {@code zapFrom}: write-protected in every mapping. Returns the live
     * mapping that reaches furthest beyond page {@code firstGone} (any access there faults), or null.
     */
    Vma zap(long zapFrom, long firstGone) {
        Vma furthest = null;
        for (Vma vma : live) {
            vma.writeProtect(zapFrom, Long.MAX_VALUE);
            if (vma.pgoffEnd() > firstGone && (furthest == null || vma.pgoffEnd() > furthest.pgoffEnd())) {
                furthest = vma;
            }
        }
        return furthest;
    }

    /** Bytes stored through all the file's mappings, live or not. */
    long bytesStored() {
        long bytes = bytesStoredByUnmapped;
        for (Vma vma : live) {
            bytes += vma.bytesStored();
        }
        return bytes;
    }

    /** The mappings ever made, grouped; empty for a file summarised at first sight. */
    List<MappingHistory.Record> history() {
        return history == null ? List.of() : history.copy();
    }
}
