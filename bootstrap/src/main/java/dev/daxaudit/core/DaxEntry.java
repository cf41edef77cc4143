package dev.daxaudit.core;

/**
 * One entry of the kernel model's dirty index: a PTE entry (one page) or a PMD entry (512 pages), as fs/dax.c
 * keeps them in {@code mapping->i_pages}. The model only explains and measures (fault counts, entry sizes, bytes
 * flushed); it never decides what is durable. Guarded by the owning {@link AddressSpace}.
 */
final class DaxEntry {
    /** Set at the write fault ({@code dax_insert_entry}). */
    static final int DIRTY = 1;
    /** Set when a sync starts ({@code tag_pages_for_writeback}), cleared when it writes the entry back. */
    static final int TOWRITE = 2;

    final long index;
    final long pages;
    int tags;
    /** A write fault found the entry TOWRITE: it waited on the entry lock and re-dirtied it after the flush. */
    boolean redirtied;

    DaxEntry(long index, long pages) {
        this.index = index;
        this.pages = pages;
    }

    long end() {
        return index + pages;
    }

    boolean isDirty() {
        return (tags & DIRTY) != 0;
    }

    boolean isTowrite() {
        return (tags & TOWRITE) != 0;
    }

    boolean isPmd() {
        return pages > 1;
    }
}
