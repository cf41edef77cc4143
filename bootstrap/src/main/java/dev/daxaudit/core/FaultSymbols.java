package dev.daxaudit.core;

import dev.daxaudit.core.report.Site;

/**
 * Names what a sampled store fault ({@link StoreFault}) points at: the compiled Java method whose code held the
 * instruction (the JIT's code map), and the thread (the kernel's task id). The agent supplies them; the engine
 * asks while it collects the kernel tracker's written pages, soon after the fault.
 */
public interface FaultSymbols {
    /** The compiled method whose code held {@code ip} at {@code nanos}, or null where none did. */
    Site method(long ip, long nanos);

    /** The name of the thread with kernel task id {@code tid}, for a fault whose sample did not name it. */
    String thread(int tid);
}
