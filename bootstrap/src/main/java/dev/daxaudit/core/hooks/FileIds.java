package dev.daxaudit.core.hooks;

import dev.daxaudit.core.FileId;
import java.io.FileDescriptor;
import java.io.IOException;
import jdk.internal.misc.Unsafe;
import sun.nio.ch.FileKey;

/**
 * Device and inode of an open descriptor, through the JDK's own fstat wrapper ({@code sun.nio.ch.FileKey}).
 * The agent exports {@code sun.nio.ch} and {@code jdk.internal.misc} to the boot class path's module at start-up.
 */
final class FileIds {
    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final long DEV = UNSAFE.objectFieldOffset(FileKey.class, "st_dev");
    private static final long INO = UNSAFE.objectFieldOffset(FileKey.class, "st_ino");

    private FileIds() {
    }

    static FileId of(FileDescriptor fd) throws IOException {
        FileKey key = FileKey.create(fd);
        return new FileId(UNSAFE.getLong(key, DEV), UNSAFE.getLong(key, INO));
    }
}
