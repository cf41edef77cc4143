package dev.daxaudit.core;

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
