package dev.daxaudit.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Errors inside dax-audit itself, caught at the hook boundary so they never reach the application. They are
 * counted and the first few are kept, so the report can say that it may be incomplete, and why.
 */
public final class InternalErrors {
    private static final int KEPT = 5;
    private long count;
    private final List<String> samples = new ArrayList<>();

    public synchronized void record(String where, Throwable t) {
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
