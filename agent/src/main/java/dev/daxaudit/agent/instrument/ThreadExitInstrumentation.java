package dev.daxaudit.agent.instrument;

/**
 * {@code java.lang.Thread.exit()}: the JVM calls it as a platform thread ends, the main thread's end included, before
 * the JVM's shutdown begins. A program that ends with its heap full to the last bytes fails there already (on JDK 17
 * the main thread's {@code TerminatingThreadLocal.threadTerminated} cannot allocate, the shutdown never reaches
 * {@code Shutdown.runHooks}, and the JVM exits 0 with no report): so where a thread ends with the heap nearly full
 * ({@code Hooks.threadExiting} says what that is), the reserve held for the exit report is given back there
 * ({@code ExitReserve}).
 */
public final class ThreadExitInstrumentation extends NoArgEntryHook {
    public ThreadExitInstrumentation() {
        super("java.lang.Thread", "exit", "threadExiting");
    }
}
