package dev.daxaudit.core.hooks;

/**
 * Heap held back for the exit report. A program may end with its heap full of its own live data; then the JDK cannot
 * even start the shutdown hooks (their iteration and {@code Thread.start} allocate), and the agent's report, and its
 * {@code failOnFindings} exit status, would be lost without a line. So a share of the heap is held from the agent's
 * start and given back where the JVM's shutdown begins ({@code java.lang.Shutdown.runHooks}, hooked), before any
 * hook is started: the hooks, the program's own among them, run with that room. A thread that ends with the heap
 * nearly full ({@code java.lang.Thread.exit}, hooked; see {@link Hooks#threadExiting}) gives it back earlier: the main
 * thread's own exit, before the shutdown, needs heap too.
 */
public final class ExitReserve {
    /** The share of the maximum heap held, between {@link #MIN} and {@link #MAX}. */
    static final int DIVISOR = 32;
    static final long MIN = 1L << 20;
    static final long MAX = 16L << 20;
    private static volatile byte[] reserve;

    private ExitReserve() {
    }

    /** Holds the reserve for a heap of at most {@code maxHeap} bytes. */
    public static void hold(long maxHeap) {
        reserve = new byte[(int) Math.max(MIN, Math.min(MAX, maxHeap / DIVISOR))];
    }

    /** Gives the reserve back to the heap: the JVM is shutting down. */
    public static void release() {
        reserve = null;
    }

    /** The bytes held now (0 once released). */
    public static long held() {
        byte[] r = reserve;
        return r == null ? 0 : r.length;
    }
}
