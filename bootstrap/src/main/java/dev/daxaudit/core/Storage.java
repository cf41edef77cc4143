package dev.daxaudit.core;

/**
 * Where a mapped file lives, and therefore which model the engine applies to it. Found once per device at the
 * first map of a file on it (see {@link MountTable}); the {@code model} option overrides it.
 */
public final class Storage {
    /** The model applied to a file. */
    public enum Model {
        /**
         * fs-dax: loads and stores go straight to persistent memory. fs/dax.c keeps a DIRTY/TOWRITE-tagged entry
         * per dirty 4 KiB or 2 MiB range and flushes CPU caches at msync/fsync; nothing writes back on its own.
         * PMD entries, block zeroing and MAP_SYNC are modelled only here.
         */
        DAX("dax"),
        /**
         * A block filesystem through the page cache: 4 KiB pages dirtied at the write fault and written back by
         * msync/fsync. The kernel's flusher threads may also write them back at a time of their choosing, which
         * guarantees nothing about a crash, so only the program's own force or fsync counts.
         */
        PAGE_CACHE("page-cache"),
        /** tmpfs and ramfs: memory only. Nothing stored there survives a reboot, so nothing is audited. */
        VOLATILE("volatile");

        private final String label;

        Model(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Finds where a file lives. */
    public interface Probe {
        /** The storage of the file with this device number (st_dev) and path (null if unknown). */
        Storage of(long device, String path);
    }

    private final String filesystem;
    private final String mountPoint;
    private final Model model;
    private final String reason;
    /** An ext4 without a journal ({@code mkfs.ext4 -O ^has_journal}): it persists names as no journal does. */
    private final boolean noJournal;

    public Storage(String filesystem, String mountPoint, Model model, String reason) {
        this(filesystem, mountPoint, model, reason, false);
    }

    private Storage(String filesystem, String mountPoint, Model model, String reason, boolean noJournal) {
        this.filesystem = filesystem;
        this.mountPoint = mountPoint;
        this.model = model;
        this.reason = reason;
        this.noJournal = noJournal;
    }

    /** The same place, an ext4 found to have no journal. */
    Storage withoutJournal() {
        return new Storage(filesystem, mountPoint, model, reason + " (no journal)", true);
    }

    /**
     * The filesystem as crash-test's persistence models name it: its type, and {@code ext4-nojournal} for an ext4
     * without a journal, whose fsync persists names differently ({@code ext4_fsync_nojournal}).
     */
    public String crashFilesystem() {
        return noJournal ? filesystem + "-nojournal" : filesystem;
    }

    /** Filesystem type as the mount table names it ({@code ext4}, {@code xfs}, {@code tmpfs}), or null if unknown. */
    public String filesystem() {
        return filesystem;
    }

    /** Where that filesystem is mounted, or null if unknown. */
    public String mountPoint() {
        return mountPoint;
    }

    public Model model() {
        return model;
    }

    /** Why this model was applied, in one sentence a user can check. */
    public String reason() {
        return reason;
    }

    /** Whether stores into this file are audited: everywhere but on memory-only filesystems. */
    public boolean audited() {
        return model != Model.VOLATILE;
    }

    /** The same place, with the model the {@code model} option chose instead of the one detected. */
    Storage overriddenBy(Model chosen) {
        return new Storage(filesystem, mountPoint, chosen, "model=" + chosen.label() + " option (detected: "
                + model.label() + ", " + reason + ")", noJournal);
    }
}
