package dev.daxaudit.core;

import dev.daxaudit.core.report.Site;
import java.util.ArrayList;
import java.util.List;

/**
 * A per-file lock over ranges of page offsets, with shared and exclusive holders: the {@code range_lock} the
 * 2015 RFC put in {@code struct address_space} as the {@code lock_page()} replacement for DAX. Faults, writeback,
 * truncate and unmap take it on the engine's slow paths only (never on the store fast path), the way the DAX
 * entry locks and {@code invalidate_lock} serialise fault vs fault and fault vs truncate today.
 *
 * <p>Besides serialising, it tells a waiter whom it waited for: that is how the engine sees two threads in the
 * same fault at once.
 */
final class RangeLock {
    /** One holder: a range, a mode, and what the holder is doing, for whoever has to wait for it. */
    static final class Holder {
        final long start;
        final long end;
        final boolean exclusive;
        final Thread thread;
        final String operation;
        /** Set by a fault that allocated a block (BH_New): a waiter on this holder raced a first touch. */
        volatile boolean allocatedBlock;
        volatile Site site;

        Holder(long start, long end, boolean exclusive, String operation) {
            this.start = start;
            this.end = end;
            this.exclusive = exclusive;
            this.thread = Thread.currentThread();
            this.operation = operation;
        }

        boolean conflictsWith(long s, long e, boolean x) {
            return start < e && s < end && (exclusive || x) && thread != Thread.currentThread();
        }
    }

    private final List<Holder> holders = new ArrayList<>();
    /** Threads parked in {@link #lock} right now. */
    private int waiters;
    /** Holders parked in {@link #waitForContender}: only they need waking when a thread starts to wait. */
    private int awaitingContender;

    /**
     * Takes pages {@code [start, end)}; waits while another thread holds an overlapping range in a conflicting
     * mode. Returns the new holder; {@code waitedFor} receives the holders it had to wait for.
     */
    synchronized Holder lock(long start, long end, boolean exclusive, String operation, List<Holder> waitedFor) {
        boolean interrupted = false;
        for (;;) {
            Holder blocker = null;
            for (Holder h : holders) {
                if (h.conflictsWith(start, end, exclusive)) {
                    blocker = h;
                    break;
                }
            }
            if (blocker == null) {
                break;
            }
            if (waitedFor != null && !waitedFor.contains(blocker)) {
                waitedFor.add(blocker);
            }
            waiters++;
            if (awaitingContender > 0) {
                // Only then: waiters that woke each other up here would spin forever and starve unlock() of the
                // monitor (a livelock the 16-thread stress test found).
                notifyAll();
            }
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // the application's interrupt is not ours to consume
            } finally {
                waiters--;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Holder h = new Holder(start, end, exclusive, operation);
        holders.add(h);
        return h;
    }

    synchronized void unlock(Holder h) {
        holders.remove(h);
        notifyAll();
    }

    /**
     * Keeps {@code h} held until another thread waits on an overlapping range, or {@code timeoutNanos} pass.
     * Only the {@code hold-first-touch} failpoint uses it, so tests can make two faults overlap without sleeps.
     */
    synchronized void waitForContender(Holder h, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        awaitingContender++;
        try {
            while (waiters == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            awaitingContender--;
        }
    }
}
