package dev.daxaudit.core;

/**
 * One entry of a file's dirty index: a PTE entry (one page) or a PMD entry (512 pages), as in the
 * exceptional entries fs/dax.c keeps in {@code mapping->i_pages}. An entry exists while it is dirty;
 * writeback that completes removes it. All fields are guarded by the owning {@link AddressSpace}.
 */
final class DaxEntry {
    /** Set at the write fault ({@code dax_insert_entry}). */
    static final int DIRTY = 1;
    /** Set when a sync starts ({@code tag_pages_for_writeback}), cleared when it writes the entry back. */
    static final int TOWRITE = 2;

    final long index;
    final long pages;
    int tags;

    /** The clean-to-dirty fault: who made this entry dirty since it was last clean. */
    Site site;
    String thread;
    long dirtiedAt;

    /** A fault that found the entry tagged TOWRITE: the store raced a writeback, so the entry stays dirty after it. */
    Site redirtySite;
    String redirtyThread;
    long redirtiedAt;

    /** The fault that dirtied this entry allocated its block (BH_New): until a sync, the allocation is not durable. */
    boolean newBlock;
    /** ...unless the mapping was MAP_SYNC, whose fault made the allocation durable ({@code dax_finish_sync_fault}). */
    boolean metadataDurable;

    /** Set when the last mapping covering a dirty entry was unmapped; cleared if a sync writes the entry back. */
    Site unmapSite;
    String unmapThread;
    long unmappedAt;

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

    boolean wasRedirtied() {
        return redirtySite != null;
    }

    void markDirty(Site site, String thread, long now) {
        tags = DIRTY;
        this.site = site;
        this.thread = thread;
        this.dirtiedAt = now;
    }

    void markRedirtied(Site site, String thread, long now) {
        redirtySite = site;
        redirtyThread = thread;
        redirtiedAt = now;
    }

    /** Writeback is done but a store landed during it: the entry is dirty again, as of that store. */
    void keepRedirtied() {
        markDirty(redirtySite, redirtyThread, redirtiedAt);
        redirtySite = null;
        redirtyThread = null;
    }

    /** A copy of part of this entry, frozen for a report after the entry left the index. */
    DaxEntry slice(long from, long to) {
        DaxEntry copy = new DaxEntry(from, to - from);
        copy.tags = tags;
        copy.site = site;
        copy.thread = thread;
        copy.dirtiedAt = dirtiedAt;
        copy.unmapSite = unmapSite;
        copy.unmapThread = unmapThread;
        copy.unmappedAt = unmappedAt;
        copy.newBlock = newBlock;
        copy.metadataDurable = metadataDurable;
        return copy;
    }
}
