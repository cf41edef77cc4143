package dev.daxaudit.core;

/**
 * How a file was mapped: the JDK's {@code MapMode}s plus the JEP 352 {@code ExtendedMapMode}s.
 * Only shared writable mappings can dirty the file; the others are registered for the report only.
 */
public enum MappingMode {
    READ_ONLY(false, false),
    READ_WRITE(true, false),
    /** MAP_PRIVATE: stores go to private copy-on-write pages and never reach the file. */
    PRIVATE(false, false),
    READ_ONLY_SYNC(false, true),
    /** MAP_SHARED_VALIDATE | MAP_SYNC: the write fault makes metadata durable; data still needs a flush. */
    READ_WRITE_SYNC(true, true);

    private final boolean sharedWritable;
    private final boolean sync;

    MappingMode(boolean sharedWritable, boolean sync) {
        this.sharedWritable = sharedWritable;
        this.sync = sync;
    }

    public boolean isSharedWritable() {
        return sharedWritable;
    }

    public boolean isSync() {
        return sync;
    }

    /** The mode for a {@code MapMode.toString()}: READ_ONLY, READ_WRITE, PRIVATE, READ_ONLY_SYNC, READ_WRITE_SYNC. */
    public static MappingMode fromJdkName(String name) {
        for (MappingMode mode : values()) {
            if (mode.name().equals(name)) {
                return mode;
            }
        }
        return null;
    }
}
