package dev.daxaudit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.PageRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Eight threads on two shared mappings of one file, for a bounded time: five store, two force ranges, one
 * truncates and regrows the tail of the file and stores there. No dirty page may be lost, judged by an oracle that
 * knows nothing of the engine: a page must be reported unsynced if a store to it began after the tagging phase of
 * every completed writeback covering it, and after the last truncate that cut it off. The engine may report more
 * (a store that raced a writeback stays dirty), never less. A deadlock fails the test by timeout.
 */
class StressTest {
    private static final long PAGE = Pages.PAGE_SIZE;
    private static final int PAGES = 512;
    private static final int SHARED_PAGES = 256; // stores by five threads; the tail belongs to the truncator
    private static final long A = 0x7f00_0000_0000L;
    private static final long B = 0x7f10_0000_0000L;
    private static final FileId FILE = new FileId(1, 1);
    private static final long RUN_NANOS = 2_000_000_000L;

    private final AtomicLong clock = new AtomicLong();
    private final AtomicLongArray storeBegun = new AtomicLongArray(PAGES);
    private final AtomicLongArray taggedAt = new AtomicLongArray(PAGES);
    private final AtomicLongArray truncatedAt = new AtomicLongArray(PAGES);
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    @Test
    void losesNoDirtyPageAndDoesNotDeadlock() throws Exception {
        DaxEngine engine = new DaxEngine(AgentOptions.parse("entries=pte"), System::nanoTime);
        engine.map(FILE, "/stress", MappingMode.READ_WRITE, A, PAGES * PAGE, 0, PAGES * PAGE, PAGES * PAGE);
        engine.map(FILE, "/stress", MappingMode.READ_WRITE, B, PAGES * PAGE, 0, PAGES * PAGE, PAGES * PAGE);
        long deadline = System.nanoTime() + RUN_NANOS;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            threads.add(worker("store-" + i, i, r -> store(engine, r.nextInt(SHARED_PAGES), r)));
        }
        for (int i = 0; i < 2; i++) {
            threads.add(worker("force-" + i, 10 + i, r -> force(engine, r)));
        }
        threads.add(worker("truncate", 20, r -> truncateAndRegrow(engine, r)));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (Thread t : threads) {
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }, "deadlock: threads still running after 60 s");
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertEquals(0, engine.errors().count());

        AuditReport report = engine.report("exit");
        BitSet reported = new BitSet();
        for (Finding f : report.findings()) {
            if (f.kind() == FindingKind.UNSYNCED) {
                for (PageRange r : f.ranges()) {
                    reported.set((int) (r.start() / PAGE), (int) (r.end() / PAGE));
                }
            }
        }
        BitSet mustBeDirty = new BitSet();
        for (int p = 0; p < PAGES; p++) {
            long begun = storeBegun.get(p);
            if (begun > 0 && begun > taggedAt.get(p) && begun > truncatedAt.get(p)) {
                mustBeDirty.set(p);
            }
        }
        BitSet lost = (BitSet) mustBeDirty.clone();
        lost.andNot(reported);
        assertTrue(lost.isEmpty(), "dirty pages the engine lost: " + lost);
        assertTrue(mustBeDirty.cardinality() > 0, "the run must leave something dirty to check");
    }

    private interface Step {
        void run(SplittableRandom r) throws Exception;
    }

    private Thread worker(String name, long seed, Step step) {
        long deadline = System.nanoTime() + RUN_NANOS;
        return new Thread(() -> {
            SplittableRandom r = new SplittableRandom(seed);
            try {
                while (System.nanoTime() < deadline) {
                    step.run(r);
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, name);
    }

    private void store(DaxEngine engine, int page, SplittableRandom r) {
        storeBegun.accumulateAndGet(page, clock.incrementAndGet(), Math::max);
        long base = r.nextBoolean() ? A : B;
        engine.vmaTable().storeScalar(base + page * PAGE + r.nextInt(512) * 8, 8, false);
    }

    private void force(DaxEngine engine, SplittableRandom r) {
        int from = r.nextInt(PAGES);
        int to = Math.min(PAGES, from + 1 + r.nextInt(64));
        long base = r.nextBoolean() ? A : B;
        Writeback w = engine.startForce(base + from * PAGE, (to - from) * PAGE, false);
        long tagged = clock.incrementAndGet();
        engine.finishWriteback(w, true);
        for (int p = from; p < to; p++) {
            taggedAt.accumulateAndGet(p, tagged, Math::max);
        }
    }

    /** Cuts the file back to the shared part, grows it again, and stores into the regrown tail. */
    private void truncateAndRegrow(DaxEngine engine, SplittableRandom r) {
        engine.resize(FILE, SHARED_PAGES * PAGE);
        long truncated = clock.incrementAndGet();
        for (int p = SHARED_PAGES; p < PAGES; p++) {
            truncatedAt.accumulateAndGet(p, truncated, Math::max);
        }
        engine.resize(FILE, PAGES * PAGE);
        for (int i = 0; i < 8; i++) {
            store(engine, SHARED_PAGES + r.nextInt(PAGES - SHARED_PAGES), r);
        }
    }
}
