package dev.daxaudit.core;

/**
 * The one engine the agent runs in this JVM, set once. The hooks read it when they are initialised and keep it in
 * a static final field the JIT folds into every inlined hook, so it can never be replaced: a second start of the
 * agent (a later attach) finds it here and only runs commands against it. The JUnit extension, in the same JVM,
 * reads it too. It lives on the boot class path with the engine, so every class loader sees the same one.
 */
public final class RunningEngine {
    private static volatile DaxEngine engine;

    private RunningEngine() {
    }

    /** Makes {@code e} the running engine, before the hooks are initialised; false when one is already running. */
    public static synchronized boolean install(DaxEngine e) {
        if (engine != null) {
            return false;
        }
        engine = e;
        return true;
    }

    /** The agent's engine in this JVM, or null when no agent is auditing it. */
    public static DaxEngine get() {
        return engine;
    }
}
