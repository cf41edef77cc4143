package dev.daxaudit.tools.crash;

import java.util.List;

/**
 * When a namespace operation (create, rename, unlink) is durable, as a filesystem persists it. Pages and sizes follow
 * the same kernel rules under both models (an msync, {@code vfs_fsync_range(file, start, end, 1)}, and an
 * fdatasync persist the range's or the file's data and the size needed to read it back; an fsync all of the file);
 * the models differ in the names.
 *
 * <p>Under ext4 pending operations persist in program order, as its journal commits them: a crash state keeps a
 * prefix of them. Under posix only operations that share a directory or a file keep their order; an operation in
 * one directory can persist without an earlier one in another ({@link OpOrders}).
 */
public enum Persistence {
    /**
     * What POSIX promises: a directory entry created, renamed or removed is durable only at an fsync of its parent
     * directory ({@code FileChannel.open(dir).force(true)}: {@code ext4_sync_file} on the directory inode, or the
     * filesystem's own); a rename between directories needs both. An fsync of the file itself does not persist its
     * name (fsync(2): "does not necessarily ensure that the entry in the directory ... has also reached disk").
     */
    POSIX("posix"),
    /**
     * ext4's ordered journal (data=ordered, no fast_commit), as ALICE measured it: metadata operations enter one
     * journal in order, and a sync that commits it ({@code ext4_sync_file} -> {@code ext4_fsync_journal} ->
     * {@code jbd2_complete_transaction}) commits every earlier operation of the filesystem. An fsync commits when the
     * file has changes since its last sync ({@code i_sync_tid}); an msync or fdatasync only when it persists a size
     * change, allocates blocks (writes back a page that was a hole) or the file is new ({@code i_datasync_tid}: set
     * by {@code ext4_update_inode_fsync_trans(handle, inode, 1)} when {@code i_disksize} changes, when
     * {@code ext4_map_blocks} allocates, and at {@code __ext4_new_inode}); a directory's fsync always. A sync of a
     * file the journal does not audit is taken to commit (a program syncs a file it changed). Checked in a crashed
     * guest (GuestCrashIT): a manifest's first msync into a page that was a hole committed an earlier rename.
     */
    EXT4("ext4"),
    /**
     * ext4 without a journal ({@code mkfs.ext4 -O ^has_journal}): no commit orders anything, so operations persist as
     * under posix ({@link OpOrders}), except that a sync of a file whose name was added since its last sync (created,
     * linked, or renamed to a name that did not exist: {@code ext4_add_entry} sets {@code EXT4_STATE_NEWENTRY})
     * writes its parent directory too ({@code ext4_sync_file} -> {@code ext4_fsync_nojournal} ->
     * {@code ext4_sync_parent}: {@code sync_mapping_buffers} of the directory, which persists every pending entry of
     * that directory, as the directory's own fsync does). No {@code auto_da_alloc} guarantee: without a journal the
     * rename's {@code filemap_flush} is not waited for; and a datasync that allocates blocks without changing the size
     * leaves them unmapped ({@link CrashJournalReader}). Checked in a crashed guest (GuestCrashIT).
     */
    EXT4_NOJOURNAL("ext4-nojournal");

    private final String label;

    Persistence(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** {@code posix}, {@code ext4} or {@code ext4-nojournal}; IllegalArgumentException with one line otherwise. */
    public static Persistence parse(String text) {
        for (Persistence p : values()) {
            if (p.label.equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("bad persistence model '" + text + "' (expected posix, ext4 or ext4-nojournal)");
    }

    /**
     * The model of files on these filesystems (mount table names, {@code ext4-nojournal} for an ext4 without a
     * journal): ext4 or ext4-nojournal if every one is that, else posix.
     */
    public static Persistence of(List<String> filesystems) {
        for (Persistence p : List.of(EXT4, EXT4_NOJOURNAL)) {
            if (!filesystems.isEmpty() && filesystems.stream().allMatch(p.label::equals)) {
                return p;
            }
        }
        return POSIX;
    }

    /**
     * Whether a completed sync commits every earlier namespace operation: under ext4, as above; under posix and
     * ext4-nojournal, never (a directory's fsync persists its own entries, see {@link #syncsParent}).
     *
     * @param changes what the synced file had: {@code CHANGED_PAGES} and {@code CHANGED_SIZE} bits, or
     *                {@code CHANGES_UNKNOWN} for a file the journal does not audit
     * @param isNew   the file's creation is still pending
     */
    /** Whether a sync of a file whose name was added since its last sync also persists its parent's entries. */
    boolean syncsParent() {
        return this == EXT4_NOJOURNAL;
    }

    boolean commits(char kind, int changes, boolean directory, boolean isNew) {
        if (this != EXT4) {
            return false;
        }
        if (directory || changes == CrashJournalReader.CHANGES_UNKNOWN || isNew) {
            return true;
        }
        return kind == 'f' ? changes != 0
                : (changes & (CrashJournalReader.CHANGED_SIZE | CrashJournalReader.CHANGED_ALLOCATION)) != 0;
    }
}
