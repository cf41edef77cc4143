package dev.daxaudit.core;

/**
 * The engine's failpoint on the write-fault path ({@code -Ddax-audit.failpoint=}), for tests only; read once per
 * engine. The hooks' own failpoints (an exception thrown from a hook) are {@code core.hooks.Failpoints}.
 */
enum FaultFailpoint {
    NONE,
    /**
     * {@code hold-first-touch}: keep an allocating fault between {@code get_block} and the PTE install until another
     * thread faults on the block, which makes the fault-vs-fault interleaving of seed 003 reproducible.
     */
    HOLD_FIRST_TOUCH,
    /** {@code fault}: every write fault fails, to show the hooks contain it. */
    FAIL;

    /** How long {@link #HOLD_FIRST_TOUCH} keeps an allocating fault open for a second toucher. */
    private static final long HOLD_NANOS = 5_000_000_000L;

    static FaultFailpoint ofSystemProperty() {
        String name = System.getProperty("dax-audit.failpoint");
        return "hold-first-touch".equals(name) ? HOLD_FIRST_TOUCH : "fault".equals(name) ? FAIL : NONE;
    }

    /** A write fault starts. */
    void faulting() {
        if (this == FAIL) {
            throw new IllegalStateException("failpoint dax-audit.failpoint=fault");
        }
    }

    /** The fault holding {@code holder} of {@code lock} looked its block up (and may have allocated it). */
    void blockLookedUp(RangeLock lock, RangeLock.Holder holder) {
        if (this == HOLD_FIRST_TOUCH && holder.allocatedBlock) {
            lock.waitForContender(holder, HOLD_NANOS);
        }
    }
}
