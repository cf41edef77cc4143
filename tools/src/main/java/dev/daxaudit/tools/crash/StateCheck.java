package dev.daxaudit.tools.crash;

import java.io.IOException;
import java.nio.file.Path;

/** The user's recovery code, run on one crash state's directory. */
public interface StateCheck extends AutoCloseable {
    /** The exit status of the check on {@code dir} (0: consistent; -1: no answer in time), its output in {@code output}. */
    int check(Path dir, Path output, long timeoutSeconds) throws IOException, InterruptedException;

    /** Ends whatever the checks kept running. */
    @Override
    default void close() {
    }
}
