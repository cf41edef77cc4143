package dev.daxaudit.core.hooks;

/**
 * {@code -Ddax-audit.failpoint=<name>} makes one part of the agent fail on purpose, so tests can show in a real JVM
 * that an error inside the agent is contained, counted in the report, and leaves the application unchanged. Names:
 * {@code map}, {@code store}, {@code fault}, {@code force}, {@code fsync}, {@code unmap}, {@code truncate},
 * {@code close}, {@code report}; {@code hold-first-touch} is a different kind of failpoint, read by the engine, and
 * {@code slow-fsync} holds every fsync and fdatasync of a file the engine does not map open for a second after it
 * started, and {@code slow-force} every force of a mapping, so a test can write from another thread while one runs.
 * Read once, into constants that the JIT folds away when they are false.
 */
public final class Failpoints {
    private static final String NAME = System.getProperty("dax-audit.failpoint", "");

    private Failpoints() {
    }

    public static boolean is(String name) {
        return NAME.equals(name);
    }

    /** Throws the failpoint's error. */
    public static void fail(String name) {
        throw new IllegalStateException("failpoint dax-audit.failpoint=" + name);
    }
}
