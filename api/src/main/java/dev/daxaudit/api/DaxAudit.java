package dev.daxaudit.api;

/**
 * What an application may tell dax-audit. Without the agent every method does nothing; with it, the agent rewrites
 * the calls (it never loads this class's bodies), so the calls cost nothing either way.
 */
public final class DaxAudit {
    private DaxAudit() {
    }

    /**
     * Marks a crash point: {@code crash-test} checks the files as a crash here would leave them, as it does after
     * each force and fsync, before each unmap, close and truncate, and at exit. {@code label} names the point in
     * the report, for example {@code "after-commit"}.
     */
    public static void crashPoint(String label) {
        // A no-op: the agent replaces calls of this method.
    }
}
