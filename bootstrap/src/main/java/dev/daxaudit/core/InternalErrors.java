package dev.daxaudit.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Errors inside dax-audit itself, caught at the hook boundary so they never reach the application. They are
 * counted and the first few are kept, so the report can say that it may be incomplete, and why. The JVM's internal
 * errors are not dax-audit's and are never swallowed: see {@link #record}.
 */
public final class InternalErrors {
    private static final int KEPT = 5;
    private long count;
    private final List<String> samples = new ArrayList<>();

    /**
     * Counts {@code t}, an error of the agent's own. An {@link InternalError} is the application's and is thrown on,
     * as without the agent: an unsafe memory access that faulted (a store into a page a truncate by another process
     * cut off) raises it asynchronously on JDK 17, at the next point the thread checks, which may be inside a hook;
     * the agent never throws one itself. Memory or stack exhausted inside a hook is the agent's doing (its own
     * allocation or call depth) and is counted like any other of its errors: the application would not have met it.
     */
    public void record(String where, Throwable t) {
        if (t instanceof InternalError) {
            throw (InternalError) t;
        }
        counted(where, t);
    }

    private synchronized void counted(String where, Throwable t) {
        count++;
        if (samples.size() < KEPT) {
            StackTraceElement[] trace = t.getStackTrace();
            samples.add(where + ": " + t + (trace.length > 0 ? " at " + trace[0] : ""));
        }
    }

    public synchronized long count() {
        return count;
    }

    public synchronized List<String> samples() {
        return new ArrayList<>(samples);
    }
}
