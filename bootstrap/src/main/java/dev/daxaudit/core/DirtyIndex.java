package dev.daxaudit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The kernel model's dirty index of one file: the DIRTY and TOWRITE-tagged entries, and, where PMD entries are
 * possible, which 2 MiB slots of the file hold a PMD entry and which already hold PTE entries. The kernel keeps
 * clean entries in the xarray too, and {@code grab_mapping_entry} falls back to a PTE entry when PTE entries exist
 * in the slot; remembering the slot's size (not every clean entry) keeps that rule at a cost of one map entry per
 * 2 MiB touched. On the page-cache model every entry is a 4 KiB page and no slot is kept.
 */
final class DirtyIndex {
    private final TreeMap<Long, DaxEntry> dirty = new TreeMap<>();
    /** PMD index of a slot: true when a PMD entry holds it, false when PTE entries do. DAX model only. */
    private final TreeMap<Long, Boolean> slots = new TreeMap<>();
    private final boolean pmdEntries;

    DirtyIndex(boolean pmdEntries) {
        this.pmdEntries = pmdEntries;
    }

    /**
     * {@code grab_mapping_entry} for a write fault on page {@code pgoff}: the dirty entry that covers it, or a new
     * entry for it, not yet tagged. A new entry is a PMD entry when the slot already holds one, or when the slot is
     * new and {@code pmdFits} (the fault's own fallback checks); otherwise a PTE entry.
     */
    DaxEntry grab(long pgoff, boolean pmdFits) {
        DaxEntry e = covering(pgoff);
        if (e != null) {
            return e;
        }
        long pmd = Pages.pmdIndex(pgoff);
        boolean asPmd = false;
        if (pmdEntries) {
            Boolean slot = slots.get(pmd);
            asPmd = slot != null ? slot : pmdFits;
            if (slot == null) {
                slots.put(pmd, asPmd);
            }
        }
        return asPmd ? new DaxEntry(pmd, Pages.PTES_PER_PMD) : new DaxEntry(pgoff, 1);
    }

    /** {@code dax_insert_entry} with DIRTY: the entry is in the index and tagged. */
    void dirty(DaxEntry e) {
        e.tags |= DaxEntry.DIRTY;
        dirty.put(e.index, e);
    }

    /** Whether a PMD entry may be installed in the slot at {@code pmd}: no PTE entry was made there. */
    boolean slotFree(long pmd) {
        return !Boolean.FALSE.equals(slots.get(pmd));
    }

    DaxEntry covering(long pgoff) {
        Map.Entry<Long, DaxEntry> floor = dirty.floorEntry(pgoff);
        return floor != null && floor.getValue().end() > pgoff ? floor.getValue() : null;
    }

    /** {@code tag_pages_for_writeback}: the DIRTY entries overlapping {@code [start, end)}, now also TOWRITE. */
    List<DaxEntry> tagTowrite(long start, long end) {
        List<DaxEntry> tagged = new ArrayList<>();
        for (DaxEntry e : overlapping(start, end).values()) {
            e.tags |= DaxEntry.TOWRITE;
            e.redirtied = false;
            tagged.add(e);
        }
        return tagged;
    }

    /** Whether {@code e} is still in the index (a truncate or a concurrent writeback may have removed it). */
    boolean holds(DaxEntry e) {
        return dirty.get(e.index) == e;
    }

    /** The DIRTY tag is cleared after the flush: the entry is clean and leaves the dirty index. */
    void clean(DaxEntry e) {
        e.tags = 0;
        dirty.remove(e.index);
    }

    /**
     * {@code truncate_inode_pages_range} from page {@code firstGone}: entries that start at or beyond it go, and so
     * does a PMD entry that straddles it: the lookup from {@code firstGone} finds the multi-index entry and
     * {@code dax_delete_mapping_entry} removes it whole, DIRTY or not, without writeback (checked on a real fs-dax
     * kernel: the next force finds nothing to write back). Returns that entry, or null, so the caller can zap its
     * mapping.
     */
    DaxEntry truncate(long firstGone) {
        dirty.tailMap(firstGone, true).clear();
        // The slot that holds the new end is forgotten too: a later fault below the end decides afresh, and a PMD
        // no longer fits below i_size there.
        slots.tailMap(Pages.pmdIndex(firstGone), true).clear();
        DaxEntry straddling = covering(firstGone - 1);
        if (straddling != null && straddling.end() > firstGone) {
            dirty.remove(straddling.index);
            return straddling;
        }
        return null;
    }

    private NavigableMap<Long, DaxEntry> overlapping(long start, long end) {
        Long from = dirty.floorKey(start);
        if (from == null || dirty.get(from).end() <= start) {
            from = start;
        }
        return dirty.subMap(from, true, end, false);
    }
}
