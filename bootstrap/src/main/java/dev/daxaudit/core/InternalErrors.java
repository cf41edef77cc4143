package dev.daxaudit.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Errors inside dax-audit itself, caught at the hook boundary so they never reach the application. They are
 * counted and the first few are kept, so the report can say that it may be incomplete, and why. The JVM's own errors
 * are not dax-audit's and are never swallowed: see {@link #record}.
 */
public final class InternalErrors {
    private static final int KEPT = 5;
    private long count;
    private final List<String> samples = new ArrayList<>();

    /**
     * Counts {@code t}, an error of the agent's own. A {@link VirtualMachineError} is the application's and is thrown
     * on, as without the agent: an unsafe memory access that faulted (a store into a page a truncate by another
     * process cut off) raises its {@link InternalError} asynchronously on JDK 17, at the next point the thread
     * checks, which may be inside a hook; memory and stack run out for the application as a whole.
     */
    public void record(String where, Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
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
