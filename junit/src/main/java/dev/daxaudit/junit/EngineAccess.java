package dev.daxaudit.junit;

import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.report.Finding;
import java.util.List;

/**
 * The only class of the extension that names the engine. The engine's classes come from the agent, on the boot
 * class path; without the agent they may not exist at all, which {@link #available()} turns into false instead of
 * a {@link NoClassDefFoundError} in the middle of a test.
 */
final class EngineAccess {
    private EngineAccess() {
    }

    static boolean available() {
        try {
            return DaxEngine.current() != null;
        } catch (LinkageError e) {
            return false;
        }
    }

    static long now() {
        return DaxEngine.current().now();
    }

    static List<Finding> findingsSince(long start) {
        return DaxEngine.current().findingsSince(start);
    }
}
