package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.Hazard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per kernel scenario of the seed threads (../shared/seeds) and of the issues since: the kernel function
 * that decides it, what the kernel does, and what the engine decides. Each row drives the engine through the
 * scenario and renders its decision in the same words as the kernel's outcome; the two must be equal. Where the
 * kernel's outcome and the verdict differ (a whole PMD flushed, one page made durable), the row says both.
 *
 * <p>These outcomes are read from fs/dax.c and mm/, not measured: the guest tests check them against a running
 * fs-dax kernel where one is available.
 */
class KernelScenarioTest {
    private static final long BASE = 0x7f00_0040_0000L; // 2 MiB aligned
    private static final FileId FILE = EngineFixture.FILE;
    private static final long MIB4 = 4L << 20;

    static Stream<Arguments> scenarios() {
        return Stream.of(
                row("store into a clean page (seed 000)", "dax_iomap_pte_fault, dax_insert_entry",
                        "one write fault tags the entry DIRTY: the page is unsynced",
                        KernelScenarioTest::storeIntoCleanPage),
                row("msync of one page of a PMD entry (seed 000)", "dax_writeback_one",
                        "the whole 2 MiB entry is flushed; the verdict credits only the page the msync covered",
                        () -> flushOnePage(true)),
                row("msync of one page of a PTE entry (seed 000)", "dax_writeback_one",
                        "the 4 KiB entry alone is flushed", () -> flushOnePage(false)),
                row("a store lands while writeback is in flight (seeds 000, 002)",
                        "dax_writeback_one, pfn_mkclean_range, wait_entry_unlocked",
                        "the store's fault waits on the entry lock and re-dirties it after the flush: still "
                                + "unsynced, the racing force as context",
                        KernelScenarioTest::storeDuringWriteback),
                row("a store races a whole-file force, then another force", "dax_writeback_mapping_range",
                        "the second writeback finds the entry DIRTY again and flushes it: durable, nothing reported",
                        KernelScenarioTest::raceThenForceAgain),
                row("fsync after munmap (seed 002)", "vfs_fsync_range, dax_writeback_mapping_range",
                        "dirty entries outlive the mapping and are written back: durable",
                        KernelScenarioTest::fsyncAfterUnmap),
                row("munmap, then exit without fsync", "unmap_mapping_range, exit_mmap",
                        "the DIRTY entries stay in i_pages and nothing writes them back: unsynced, the unmap as "
                                + "context",
                        KernelScenarioTest::unmapThenExit),
                row("fault vs truncate: stored pages beyond the new end", "truncate_inode_pages_range",
                        "the entries beyond i_size are deleted with their data: no durability finding, the live "
                                + "mapping is the hazard",
                        KernelScenarioTest::truncateAfterStores),
                row("fault vs truncate: a store through the old mapping after the truncate", "dax_iomap_pte_fault",
                        "the fault finds the page beyond i_size and returns VM_FAULT_SIGBUS: no entry is created",
                        KernelScenarioTest::storeAfterTruncate),
                row("truncate straddling a PMD entry (checked in the fs-dax guest)",
                        "truncate_inode_pages_range, dax_delete_mapping_entry, unmap_mapping_range",
                        "the PMD entry across the new end is deleted, DIRTY or not, and its mapping zapped: the next "
                                + "store below the end faults again, its page stays unsynced until a force covers it, "
                                + "and that force writes back only the new entry; the store made before the truncate is in no entry, so it is never written back (H7)",
                        KernelScenarioTest::truncateStraddlingPmd),
                row("fault vs fault zeroing race, generic DAX zeroing (seed 003)", "__dax_fault, get_block",
                        "the BH_New faulter zeroes after get_block outside any lock: the other store can be wiped",
                        () -> concurrentFirstTouch("zeroing=dax-generic")),
                row("fault vs fault on a new block, zeroing inside the filesystem (seed 003 fix)",
                        "ext4_iomap_alloc, xfs_bmapi_write with XFS_BMAPI_ZERO",
                        "the second get_block waits until the block is initialised: both stores survive",
                        () -> concurrentFirstTouch("zeroing=fs")),
                row("write fault into a hole of a grown file, shared mapping (seed 001)", "dax_iomap_pte_fault",
                        "get_block allocates the block; the allocation is durable only after fsync/msync",
                        () -> faultIntoHole(MappingMode.READ_WRITE)),
                row("write fault into a hole, MAP_SYNC mapping (seed 001)", "dax_finish_sync_fault",
                        "metadata is synced before the fault returns; only data needs a flush",
                        () -> faultIntoHole(MappingMode.READ_WRITE_SYNC)),
                row("force of a *_SYNC mapping over part of a page", "Unsafe.writebackMemory (clwb), no msync",
                        "only the cache lines of the range are written back: a store outside them stays unsynced",
                        KernelScenarioTest::partialCacheFlush),
                row("fsync after stores through a MAP_SYNC mapping", "dax_insert_entry, dax_writeback_mapping_range",
                        "a synchronous fault leaves the entry clean, so fsync flushes nothing: still unsynced",
                        KernelScenarioTest::fsyncOfSyncStores));
    }

    private static Arguments row(String scenario, String function, String kernel, Callable<String> engine) {
        return Arguments.of(scenario, function, kernel, engine);
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("scenarios")
    void engineDecidesWhatTheKernelDoes(String scenario, String function, String kernel, Callable<String> engine)
            throws Exception {
        assertEquals(kernel, engine.call());
    }

    private static DaxEngine engine(String options) throws Exception {
        return new DaxEngine(AgentOptions.parse(options), System::nanoTime, EngineFixture.DAX);
    }

    private static DaxEngine mapped(String options, MappingMode mode, long bytes) throws Exception {
        DaxEngine e = engine(options);
        e.map(FILE, "/f", mode, BASE, bytes, 0, bytes, bytes);
        return e;
    }

    private static List<Long> ranges(AuditReport r) {
        List<Long> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            f.ranges().forEach(x -> {
                out.add(x.start());
                out.add(x.end());
            });
        }
        return out;
    }

    private static String storeIntoCleanPage() throws Exception {
        DaxEngine e = mapped("entries=pte", MappingMode.READ_WRITE, 4 * PAGE);
        e.store(BASE + PAGE + 8, 8);
        AuditReport r = e.report("exit");
        return r.files().get(0).faults() == 1 && ranges(r).equals(List.of(PAGE, 2 * PAGE))
                ? "one write fault tags the entry DIRTY: the page is unsynced" : "engine: " + r;
    }

    private static String flushOnePage(boolean pmd) throws Exception {
        DaxEngine e = mapped(pmd ? "" : "entries=pte", MappingMode.READ_WRITE, MIB4);
        e.store(BASE + 3 * PAGE, 8);
        e.store(BASE + 9 * PAGE, 8);
        e.finishWriteback(e.startForce(BASE + 3 * PAGE, 8, false), true);
        AuditReport r = e.report("exit");
        long flushed = r.files().get(0).bytesFlushed();
        boolean onlyForcedPageDurable = ranges(r).equals(List.of(9 * PAGE, 10 * PAGE));
        if (flushed == Pages.PMD_SIZE && onlyForcedPageDurable) {
            return "the whole 2 MiB entry is flushed; the verdict credits only the page the msync covered";
        }
        return flushed == PAGE && onlyForcedPageDurable ? "the 4 KiB entry alone is flushed"
                : "engine flushed " + flushed + ", unsynced " + ranges(r);
    }

    private static String storeDuringWriteback() throws Exception {
        DaxEngine e = mapped("", MappingMode.READ_WRITE, 4 * PAGE);
        e.store(BASE, 8);
        Writeback w = e.startForce(BASE, 4 * PAGE, false);
        Thread other = new Thread(() -> e.store(BASE + 64, 8), "racer");
        other.start();
        other.join();
        e.finishWriteback(w, true);
        AuditReport r = e.report("exit");
        return ranges(r).equals(List.of(0L, PAGE)) && r.findings().get(0).race() != null && r.hazards().isEmpty()
                ? "the store's fault waits on the entry lock and re-dirties it after the flush: still unsynced, the "
                        + "racing force as context"
                : "engine: " + r;
    }

    private static String raceThenForceAgain() throws Exception {
        DaxEngine e = mapped("", MappingMode.READ_WRITE, 4 * PAGE);
        e.store(BASE, 8);
        Writeback w = e.startFsync(FILE);
        Thread other = new Thread(() -> e.store(BASE + 64, 8), "racer");
        other.start();
        other.join();
        e.finishWriteback(w, true);
        e.finishWriteback(e.startFsync(FILE), true);
        AuditReport r = e.report("exit");
        return r.findings().isEmpty() && r.hazards().isEmpty() && r.files().get(0).bytesFlushed() == 2 * PAGE
                ? "the second writeback finds the entry DIRTY again and flushes it: durable, nothing reported"
                : "engine: " + r;
    }

    private static String fsyncAfterUnmap() throws Exception {
        DaxEngine e = mapped("", MappingMode.READ_WRITE, 4 * PAGE);
        e.store(BASE, 8);
        e.unmap(BASE);
        e.finishWriteback(e.startFsync(FILE), true);
        AuditReport r = e.report("exit");
        return r.findings().isEmpty() && r.hazards().isEmpty() && r.files().get(0).bytesFlushed() == PAGE
                ? "dirty entries outlive the mapping and are written back: durable" : "engine: " + r;
    }

    private static String unmapThenExit() throws Exception {
        DaxEngine e = mapped("", MappingMode.READ_WRITE, 4 * PAGE);
        e.store(BASE, 8);
        e.unmap(BASE);
        AuditReport r = e.report("exit");
        return ranges(r).equals(List.of(0L, PAGE)) && r.findings().get(0).unmapped() != null
                ? "the DIRTY entries stay in i_pages and nothing writes them back: unsynced, the unmap as context"
                : "engine: " + r;
    }

    private static String truncateAfterStores() throws Exception {
        DaxEngine e = mapped("", MappingMode.READ_WRITE, 4 * PAGE);
        e.store(BASE + 2 * PAGE, 8);
        e.store(BASE + 3 * PAGE, 8);
        e.resize(FILE, 2 * PAGE);
        AuditReport r = e.report("exit");
        return r.findings().isEmpty() && kinds(r).equals(List.of("TRUNCATE_UNDER_MAPPING"))
                && r.hazards().get(0).discardedPages() == 2
                ? "the entries beyond i_size are deleted with their data: no durability finding, the live mapping is "
                        + "the hazard"
                : "engine: " + r;
    }

    private static String storeAfterTruncate() throws Exception {
        DaxEngine e = mapped("", MappingMode.READ_WRITE, 4 * PAGE);
        e.resize(FILE, PAGE);
        e.store(BASE + 2 * PAGE, 8);
        AuditReport r = e.report("exit");
        return r.findings().isEmpty() && kinds(r).equals(List.of("TRUNCATE_UNDER_MAPPING", "STORE_BEYOND_EOF"))
                ? "the fault finds the page beyond i_size and returns VM_FAULT_SIGBUS: no entry is created"
                : "engine: " + r;
    }

    private static String truncateStraddlingPmd() throws Exception {
        DaxEngine e = mapped("", MappingMode.READ_WRITE, MIB4);
        e.store(BASE + 10 * PAGE, 8); // PMD entry over file pages 0..511
        e.resize(FILE, 100 * PAGE); // the new end cuts through that entry
        e.store(BASE + 20 * PAGE, 8);
        AuditReport r = e.report("exit");
        FileSummary f = r.files().get(0);
        boolean before = f.pmdFaults() == 1 && f.faults() == 2 && ranges(r).equals(List.of(10 * PAGE, 11 * PAGE,
                20 * PAGE, 21 * PAGE)) && kinds(r).equals(List.of("TRUNCATE_DROPS_UNWRITTEN_ENTRY",
                "TRUNCATE_UNDER_MAPPING")) && r.hazards().get(0).start() == 10 * PAGE
                && r.hazards().get(0).end() == 11 * PAGE;
        e.finishWriteback(e.startForce(BASE, 100 * PAGE, false), true);
        AuditReport forced = e.report("exit");
        return before && forced.findings().isEmpty() && forced.files().get(0).bytesFlushed() == PAGE
                ? "the PMD entry across the new end is deleted, DIRTY or not, and its mapping zapped: the next "
                        + "store below the end faults again, its page stays unsynced until a force covers it, "
                        + "and that force writes back only the new entry; the store made before the truncate is in no entry, so it is never written back (H7)"
                : "engine: " + r + " / after the force: " + forced;
    }

    /** Two threads first-touch one new block; the failpoint holds the first fault until the second arrives. */
    static String concurrentFirstTouch(String options) throws Exception {
        DaxEngine e;
        System.setProperty("dax-audit.failpoint", "hold-first-touch");
        try {
            e = engine(options);
        } finally {
            System.clearProperty("dax-audit.failpoint");
        }
        e.map(FILE, "/f", MappingMode.READ_WRITE, BASE, 4 * PAGE, 0, 0, 4 * PAGE); // map grew the file: all holes
        CountDownLatch firstFaulting = new CountDownLatch(1);
        Thread a = new Thread(() -> {
            firstFaulting.countDown();
            e.store(BASE + 8, 8);
        }, "toucher-a");
        a.start();
        firstFaulting.await();
        while (a.getState() != Thread.State.TIMED_WAITING && a.isAlive()) {
            Thread.onSpinWait(); // a parks in the failpoint between get_block and the PTE install
        }
        Thread b = new Thread(() -> e.store(BASE + 16, 8), "toucher-b");
        b.start();
        a.join();
        b.join();
        AuditReport r = e.report("exit");
        FileSummary f = r.files().get(0);
        List<String> races = kinds(r);
        if (options.endsWith("dax-generic") && races.equals(List.of("CONCURRENT_FIRST_TOUCH"))
                && r.hazards().get(0).end() == PAGE
                && r.hazards().get(0).first().thread().equals("toucher-a")
                && r.hazards().get(0).second().thread().equals("toucher-b")) {
            return "the BH_New faulter zeroes after get_block outside any lock: the other store can be wiped";
        }
        if (options.endsWith("fs") && races.isEmpty() && f.concurrentFirstTouches() == 1) {
            return "the second get_block waits until the block is initialised: both stores survive";
        }
        return "engine: " + r.hazards() + " touches " + f.concurrentFirstTouches();
    }

    private static String faultIntoHole(MappingMode mode) throws Exception {
        DaxEngine e = engine("");
        e.map(FILE, "/f", mode, BASE, 4 * PAGE, 0, PAGE, 4 * PAGE); // page 0 existed, pages 1-3 are new
        e.store(BASE + 2 * PAGE, 8);
        Finding f = e.report("exit").findings().get(0);
        if (mode == MappingMode.READ_WRITE && f.newBlockPages() == 1 && f.syncFaultPages() == 0) {
            return "get_block allocates the block; the allocation is durable only after fsync/msync";
        }
        if (mode == MappingMode.READ_WRITE_SYNC && f.syncFaultPages() == 1 && f.newBlockPages() == 0) {
            return "metadata is synced before the fault returns; only data needs a flush";
        }
        return "engine: " + f;
    }

    private static String partialCacheFlush() throws Exception {
        DaxEngine e = mapped("", MappingMode.READ_WRITE_SYNC, 4 * PAGE);
        e.store(BASE + 8, 8);
        e.store(BASE + 2048, 8);
        e.finishWriteback(e.startForce(BASE, 128, true), true);
        AuditReport r = e.report("exit");
        return ranges(r).equals(List.of(0L, PAGE)) && r.files().get(0).bytesFlushed() == 128
                && r.files().get(0).msyncs() == 0
                ? "only the cache lines of the range are written back: a store outside them stays unsynced"
                : "engine: " + r;
    }

    private static String fsyncOfSyncStores() throws Exception {
        DaxEngine e = mapped("", MappingMode.READ_WRITE_SYNC, 4 * PAGE);
        e.store(BASE + 8, 8);
        e.finishWriteback(e.startFsync(FILE), true);
        AuditReport r = e.report("exit");
        return ranges(r).equals(List.of(0L, PAGE)) && r.files().get(0).bytesFlushed() == 0
                ? "a synchronous fault leaves the entry clean, so fsync flushes nothing: still unsynced"
                : "engine: " + r;
    }

    private static List<String> kinds(AuditReport r) {
        List<String> kinds = new ArrayList<>();
        for (Hazard h : r.hazards()) {
            kinds.add(h.kind().name());
        }
        return kinds;
    }
}
