package dev.daxaudit.core.hooks;

import dev.daxaudit.core.FileId;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.ref.WeakReference;
import jdk.internal.misc.Unsafe;
import sun.nio.ch.FileKey;

/**
 * Device and inode of an open descriptor, through the JDK's own fstat wrapper ({@code sun.nio.ch.FileKey}), once per
 * descriptor: every write(2) of a program that maps some file asks, and an open descriptor names the same inode for
 * as long as it is open (a rename or an unlink does not change it). Kept by descriptor number, each slot holding the
 * {@code FileDescriptor} object weakly: a number reused after a close belongs to another object, and misses.
 * The agent exports {@code sun.nio.ch} and {@code jdk.internal.misc} to the boot class path's module at start-up.
 */
final class FileIds {
    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final long DEV = UNSAFE.objectFieldOffset(FileKey.class, "st_dev");
    private static final long INO = UNSAFE.objectFieldOffset(FileKey.class, "st_ino");
    private static final long FD = UNSAFE.objectFieldOffset(FileDescriptor.class, "fd");
    /** Descriptor numbers below this are cached; a program with more open files asks fstat for the others. */
    private static final int SLOTS = 4096;
    /** Racy by design: a slot is one immutable object, published whole; a lost update only costs an fstat. */
    private static final Slot[] SLOTS_BY_FD = new Slot[SLOTS];

    private FileIds() {
    }

    static FileId of(FileDescriptor fd) throws IOException {
        int n = UNSAFE.getIntVolatile(fd, FD);
        if (n < 0 || n >= SLOTS) {
            return stat(fd);
        }
        Slot slot = SLOTS_BY_FD[n];
        if (slot != null && slot.get() == fd) {
            return slot.id;
        }
        FileId id = stat(fd);
        SLOTS_BY_FD[n] = new Slot(fd, id);
        return id;
    }

    private static FileId stat(FileDescriptor fd) throws IOException {
        FileKey key = FileKey.create(fd);
        return new FileId(UNSAFE.getLong(key, DEV), UNSAFE.getLong(key, INO));
    }

    /** One descriptor's file, the descriptor held weakly. */
    private static final class Slot extends WeakReference<FileDescriptor> {
        final FileId id;

        Slot(FileDescriptor fd, FileId id) {
            super(fd);
            this.id = id;
        }
    }
}
