package dev.daxaudit.core.hooks;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.SyncFailedException;

/**
 * Replacements for JDK calls that are native on some JDKs (so no advice can reach them): the agent rewrites
 * application call sites of {@code FileDescriptor.sync()} and {@code RandomAccessFile.setLength(long)} to these.
 * Each does exactly what the original call does, with the engine told before and after.
 */
public final class CallSites {
    private CallSites() {
    }

    public static void sync(FileDescriptor fd) throws SyncFailedException {
        Object writeback = Hooks.fsyncStart(fd);
        boolean completed = false;
        try {
            fd.sync();
            completed = true;
        } finally {
            Hooks.writebackEnd(writeback, completed);
        }
    }

    /** {@code DaxAudit.crashPoint(label)}: a crash point the application marks, for crash-test. */
    public static void crashPoint(String label) {
        Hooks.crashPoint(label);
    }

    public static void setLength(RandomAccessFile file, long newLength) throws IOException {
        file.setLength(newLength);
        Hooks.resized(file.getFD(), newLength);
    }
}
