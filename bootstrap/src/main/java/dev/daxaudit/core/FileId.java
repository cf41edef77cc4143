package dev.daxaudit.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Identity of a file: device and inode, as {@code stat(2)} gives them. Two paths, hard links or descriptors
 * of the same file are one FileId, so they share one {@link AddressSpace}, as they share one inode on Linux.
 */
public final class FileId {
    private final long device;
    private final long inode;

    public FileId(long device, long inode) {
        this.device = device;
        this.inode = inode;
    }

    /** The file at {@code path} (not following a last symbolic link), or null if it cannot be read. */
    public static FileId of(String path) {
        try {
            Map<String, Object> stat = Files.readAttributes(Paths.get(path), "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
            return new FileId((Long) stat.get("dev"), (Long) stat.get("ino"));
        } catch (IOException | RuntimeException e) {
            return null; // gone again, or no unix view: seen at its first map or write instead
        }
    }

    public long device() {
        return device;
    }

    public long inode() {
        return inode;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileId && ((FileId) o).device == device && ((FileId) o).inode == inode;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(device) * 31 + Long.hashCode(inode);
    }

    @Override
    public String toString() {
        return "dev=" + device + ",ino=" + inode;
    }
}
