package dev.daxaudit.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's side of one file, as fs/dax.c keeps it: i_size, the {@link DirtyIndex} of PTE/PMD entries with their
 * DIRTY and TOWRITE tags, the {@link BlockMap} of allocated blocks, and the {@link RangeLock} that stands for the
 * entry locks and {@code invalidate_lock}. It explains and measures (faults, entry sizes, bytes flushed) and tells
 * the hazards where to look; it never decides a verdict. The data truth lives beside it in {@link AddressSpace},
 * which owns this model and whose monitor plays the xarray lock: every method here but {@link #rangeLock()} is
 * called under it.
 */
final class DaxModel {
    /** {@code entries=auto} on DAX: PMD entries where {@code dax_iomap_pmd_fault} would use them. */
    final boolean pmdEntries;
    private final DirtyIndex index;
    private final BlockMap blocks = new BlockMap();
    private final RangeLock rangeLock = new RangeLock();
    private long isize = -1;

    DaxModel(boolean pmdEntries) {
        this.pmdEntries = pmdEntries;
        this.index = new DirtyIndex(pmdEntries);
    }

    RangeLock rangeLock() {
        return rangeLock;
    }

    BlockMap blocks() {
        return blocks;
    }

    /** i_size as last seen, or 0 before the first mapping. */
    long size() {
        return Math.max(isize, 0);
    }

    /** A mapping was made: i_size was {@code sizeBefore} before the map call, {@code sizeAfter} after it. */
    void mapped(long sizeBefore, long sizeAfter) {
        if (isize < 0) {
            isize = Math.max(0, sizeBefore);
        }
        grow(sizeAfter);
    }

    /** i_size grows: the new pages are a hole until write faults allocate them. */
    void grow(long newSize) {
        if (newSize > isize) {
            blocks.grow(Pages.pagesFor(isize), Pages.pagesFor(newSize));
            isize = newSize;
        }
    }

    /** Whether page {@code pgoff} lies beyond the end of the file. */
    boolean beyondEof(long pgoff) {
        return pgoff >= Pages.pagesFor(isize);
    }

    // ---- write fault ----------------------------------------------------------------------------------------

    /**
     * The file pages whose entry locks a fault on pages {@code [first, last]} of {@code vma} takes: the whole 2 MiB
     * when the mapping could map a PMD entry there ({@code grab_mapping_entry} locks the PMD slot), else the pages.
     */
    long[] faultSpan(Vma vma, int first, int last) {
        long from = vma.pgoff + first;
        long to = vma.pgoff + last + 1;
        long pmdFrom = Pages.pmdIndex(from);
        long pmdTo = Pages.pmdIndex(to - 1) + Pages.PTES_PER_PMD;
        if (pmdEntries && vma.pmdColoured && pmdFrom >= vma.pgoff && pmdTo <= vma.pgoffEnd()) {
            return new long[] {pmdFrom, pmdTo};
        }
        return new long[] {from, to};
    }

    /**
     * The entries a fault on pages {@code [first, last]} of {@code vma} covers ({@code grab_mapping_entry}),
     * allocating blocks for holes ({@code get_block} returning BH_New, noted on {@code lock}). A page beyond the end
     * of the file gets no entry (the kernel returns SIGBUS); its file page is added to {@code beyondEof}.
     */
    List<DaxEntry> grabEntries(Vma vma, int first, int last, RangeLock.Holder lock, List<Long> beyondEof) {
        List<DaxEntry> faulted = new ArrayList<>(1);
        long eofPage = Pages.pagesFor(isize);
        for (int page = first; page <= last; page++) {
            long pgoff = vma.pgoff + page;
            if (vma.isWritable(page) || covered(faulted, pgoff)) {
                continue;
            }
            if (pgoff >= eofPage) {
                beyondEof.add(pgoff);
                continue;
            }
            DaxEntry e = index.grab(pgoff, pmdFits(vma, Pages.pmdIndex(pgoff)));
            if (blocks.allocate(e.index, e.end(), vma.mode.isSync())) {
                lock.allocatedBlock = true;
            }
            faulted.add(e);
        }
        return faulted;
    }

    private static boolean covered(List<DaxEntry> entries, long pgoff) {
        for (DaxEntry e : entries) {
            if (e.index <= pgoff && pgoff < e.end()) {
                return true;
            }
        }
        return false;
    }

    /** The fallback checks of {@code dax_iomap_pmd_fault} that can be seen from user space. */
    private boolean pmdFits(Vma vma, long pmd) {
        // The virtual address and the file offset agree modulo 2 MiB, the whole PMD lies in the mapping and below
        // i_size, and no PTE entry was made in the slot. The filesystem must also hand out a 2 MiB-aligned extent,
        // which cannot be seen from here and is assumed.
        return pmdEntries && vma.pmdColoured && pmd >= vma.pgoff && pmd + Pages.PTES_PER_PMD <= vma.pgoffEnd()
                && pmd + Pages.PTES_PER_PMD <= Pages.pagesFor(isize) && index.slotFree(pmd);
    }

    /**
     * The fault's end: the entry dirty in the index ({@code dax_insert_entry}; a MAP_SYNC fault's entry stays clean,
     * {@code dax_finish_sync_fault}), and the page table writable in this mapping: the whole 2 MiB when the mapping
     * can map the PMD entry, else only the faulting pages (a PTE fault that finds a PMD entry in the index dirties
     * the PMD entry but maps one page). Never beyond end of file.
     */
    void install(Vma vma, DaxEntry e, int first, int last, FileLedger ledger) {
        boolean pmdMapped = e.isPmd() && vma.pmdColoured && e.index >= vma.pgoff && e.end() <= vma.pgoffEnd()
                && e.end() <= Pages.pagesFor(isize); // else dax_iomap_pmd_fault falls back to a PTE fault
        ledger.faults++;
        if (pmdMapped) {
            ledger.pmdFaults++;
        }
        if (vma.mode.isSync()) {
            ledger.syncFaults++; // dax_finish_sync_fault: metadata synced, the entry left clean
        } else if (!e.isDirty()) {
            index.dirty(e);
        } else if (e.isTowrite()) {
            e.redirtied = true; // the fault waited on the entry lock of a writeback in flight
        }
        long lo = pmdMapped ? e.index : Math.max(e.index, vma.pgoff + first);
        long hi = Math.min(pmdMapped ? e.end() : Math.min(e.end(), vma.pgoff + last + 1), Pages.pagesFor(isize));
        for (long p = lo; p < hi; p++) {
            vma.grantWrite((int) (p - vma.pgoff));
        }
    }

    // ---- writeback ------------------------------------------------------------------------------------------

    /**
     * {@code tag_pages_for_writeback}: the DIRTY entries of pages {@code [start, end)} tagged TOWRITE, each
     * write-protected in every mapping, a PMD entry whole ({@code pfn_mkclean_range}), so the next store faults.
     */
    List<DaxEntry> tagForWriteback(long start, long end, List<Vma> vmas) {
        List<DaxEntry> tagged = index.tagTowrite(start, end);
        for (DaxEntry e : tagged) {
            for (Vma vma : vmas) {
                vma.writeProtect(e.index, e.end());
            }
        }
        return tagged;
    }

    /**
     * {@code dax_writeback_one} for each entry {@code tagged} at the start: TOWRITE cleared, and an entry no fault
     * re-dirtied meanwhile is clean. A failed flush cleans nothing. Returns the bytes flushed.
     */
    long writeback(List<DaxEntry> tagged, long start, long end, boolean completed) {
        long flushed = 0;
        for (DaxEntry e : tagged) {
            if (!e.isTowrite() || !index.holds(e)) {
                continue; // written back by a concurrent sync, or truncated away
            }
            e.tags &= ~DaxEntry.TOWRITE;
            if (!completed) {
                continue;
            }
            flushed += e.pages << Pages.PAGE_SHIFT;
            if (e.redirtied) {
                e.redirtied = false;
            } else {
                index.clean(e);
            }
        }
        if (completed) {
            blocks.synced(start, end);
        }
        return flushed;
    }

    // ---- truncate -------------------------------------------------------------------------------------------

    /**
     * A shrink to {@code newSize}: i_size moves, blocks beyond it are freed, and the index drops the entries beyond
     * it ({@code dax_delete_mapping_entry}). Returns the PMD entry that straddled the new end and went whole, DIRTY
     * or not, or null.
     */
    DaxEntry truncate(long newSize) {
        long firstGone = Pages.pagesFor(newSize);
        isize = newSize;
        blocks.truncate(firstGone);
        return index.truncate(firstGone);
    }
}
