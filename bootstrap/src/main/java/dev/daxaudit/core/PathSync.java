package dev.daxaudit.core;

/**
 * An fsync or fdatasync in flight of a file the engine does not audit, or of a directory: recorded for crash states
 * only, by path (the directory's fsync that persists a rename, another file's fsync that commits ext4's journal).
 */
public final class PathSync {
    final String path;
    final boolean datasync;

    PathSync(String path, boolean datasync) {
        this.path = path;
        this.datasync = datasync;
    }
}
