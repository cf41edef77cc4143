package dev.daxaudit.junit;

import dev.daxaudit.core.RunningEngine;
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
            return RunningEngine.get() != null;
        } catch (LinkageError e) {
            return false;
        }
    }

    static long now() {
        return RunningEngine.get().now();
    }

    /** The running agent's report path ({@code {pid}} resolved), or null when no report option was given. */
    static String reportPath() {
        var options = RunningEngine.get().options();
        return options.given().containsKey("report") ? options.reportPath() : null;
    }

    static List<Finding> findingsSince(long start) {
        return RunningEngine.get().findingsSince(start);
    }
}
