package dev.daxaudit.agent.instrument;

/**
 * {@code java.lang.Shutdown.runHooks()}: where the JVM's shutdown begins (at {@code System.exit}, a signal, or the
 * end of the last non-daemon thread), before it starts any shutdown hook. The heap held for the exit report is given
 * back there ({@code ExitReserve}): with a heap full of the program's data the JDK could not start the hooks at all.
 */
public final class ShutdownInstrumentation extends NoArgEntryHook {
    public ShutdownInstrumentation() {
        super("java.lang.Shutdown", "runHooks", "shutdownStarting");
    }
}
