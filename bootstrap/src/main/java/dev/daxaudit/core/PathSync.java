package dev.daxaudit.core;

/**
 * An fsync or fdatasync in flight of a file the engine does not audit, or of a directory: recorded for crash states
 * only: a file written through the write family (by its {@code id}), the directory's fsync that persists a rename,
 * another file's fsync that commits ext4's journal (by path; null when only the descriptor is known).
 */
public final class PathSync {
    final FileId id;
    final String path;
    final boolean datasync;

    PathSync(FileId id, String path, boolean datasync) {
        this.id = id;
        this.path = path;
        this.datasync = datasync;
    }
}
