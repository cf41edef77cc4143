package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.Site;
import dev.daxaudit.core.report.SitePrecision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tracking=kernel} in the engine, with a made-up kernel: written pages are collected before each force,
 * fsync, unmap and report, and become stores made just before it, named by the mapping's site.
 */
class KernelWritesTest {
    /** A kernel that reports the pages the test "wrote", once each, as PAGEMAP_SCAN with WP_MATCHING does. */
    private static final class FakeKernel implements PageWriteTracker {
        final List<long[]> tracked = new ArrayList<>();
        final List<Long> written = new ArrayList<>();
        /** By page, the fault "sampled" there; consumed as PAGEMAP_SCAN's caller consumes them. */
        final java.util.Map<Long, StoreFault> faults = new java.util.HashMap<>();
        boolean refuseTrack;
        String refuseSampling = "this tracker samples no faults";

        @Override
        public String sampleFaults() {
            return refuseSampling;
        }

        @Override
        public StoreFault fault(long address) {
            return faults.remove(address);
        }

        void write(long address) {
            written.add(address & -PAGE);
        }

        @Override
        public void track(long address, long length) {
            if (refuseTrack) {
                throw new IllegalStateException("UFFDIO_REGISTER failed (errno 22)");
            }
            tracked.add(new long[] {address, length});
        }

        @Override
        public void collect(long address, long length, Runs runs) {
            List<Long> left = new ArrayList<>();
            for (long page : written) {
                if (page >= address && page < address + length) {
                    runs.written(page, page + PAGE);
                } else {
                    left.add(page);
                }
            }
            written.clear();
            written.addAll(left);
        }
    }

    private static EngineFixture engineWith(FakeKernel kernel) throws Exception {
        EngineFixture f = new EngineFixture("entries=pte");
        f.engine.trackWritesInKernel(kernel);
        return f;
    }

    @Test
    void aPageWrittenBeforeAForceIsCoveredByIt() throws Exception {
        FakeKernel kernel = new FakeKernel();
        EngineFixture f = engineWith(kernel);
        f.map(BASE, 4, 0);
        assertEquals(BASE, kernel.tracked.get(0)[0]);
        assertEquals(4 * PAGE, kernel.tracked.get(0)[1]);
        kernel.write(BASE + PAGE + 8);
        f.force(BASE, 4 * PAGE);
        assertEquals(List.of(), f.report().findings());
        assertEquals(1, f.file().pagesSynced());
        assertEquals("kernel", f.report().tracker());
    }

    @Test
    void aPageWrittenAfterTheLastForceIsAFindingNamedByTheMappingsSite() throws Exception {
        FakeKernel kernel = new FakeKernel();
        EngineFixture f = engineWith(kernel);
        Vma vma = f.map(BASE, 4, 0);
        kernel.write(BASE);
        f.force(BASE, PAGE);
        kernel.write(BASE + 2 * PAGE);
        Finding finding = f.finding();
        assertEquals(List.of(2 * PAGE, 3 * PAGE), f.unsyncedRanges());
        assertEquals(SitePrecision.UNKNOWN, finding.storeSitePrecision());
        assertEquals(List.of("(unknown: tracking=kernel)"), finding.threads());
        assertEquals(vma.mapped.site, finding.sites().get(0).site());
        assertTrue(finding.explanation().contains("tracking=kernel"), finding.explanation());
    }

    /** The JIT's code map, made up: one compiled method at [0x7000, 0x7100). */
    private static final class FakeSymbols implements FaultSymbols {
        static final Site COMPILED = new Site("app.Journal", "append", null, -1);

        @Override
        public Site method(long ip, long nanos) {
            return ip >= 0x7000 && ip < 0x7100 ? COMPILED : null;
        }

        @Override
        public String thread(int tid) {
            return "writer-" + tid;
        }
    }

    @Test
    void sampledFaultsNameTheCompiledMethodAndThreadAndTheWeakestPrecision() throws Exception {
        FakeKernel kernel = new FakeKernel();
        kernel.refuseSampling = null;
        EngineFixture f = engineWith(kernel);
        assertEquals(null, f.engine.sampleStoreFaults(new FakeSymbols()));
        Vma vma = f.map(BASE, 4, 0);
        kernel.write(BASE);
        kernel.faults.put(BASE, new StoreFault(0x7010, 7, null, 1));
        kernel.write(BASE + PAGE);
        kernel.faults.put(BASE + PAGE, new StoreFault(0x7020, 7, null, 2));
        Finding compiled = f.finding();
        assertEquals(SitePrecision.METHOD, compiled.storeSitePrecision());
        assertEquals(FakeSymbols.COMPILED, compiled.sites().get(0).site());
        assertEquals(2, compiled.sites().get(0).count());
        assertEquals(List.of("writer-7"), compiled.threads());
        assertTrue(compiled.explanation().contains("compiled methods"), compiled.explanation());
        f.force(BASE, 4 * PAGE);
        // Interpreted code (an address outside every compiled method) gives the thread; an unsampled page neither.
        kernel.write(BASE + 2 * PAGE);
        kernel.faults.put(BASE + 2 * PAGE, new StoreFault(0x9999, 8, "named-8", 3));
        kernel.write(BASE + 3 * PAGE);
        Finding mixed = f.finding();
        assertEquals(SitePrecision.UNKNOWN, mixed.storeSitePrecision());
        assertEquals(vma.mapped.site, mixed.sites().get(0).site());
        assertEquals(2, mixed.sites().get(0).count());
        assertEquals(List.of("(unknown: tracking=kernel)", "named-8"), mixed.threads());
    }

    @Test
    void aTrackerThatRefusesSamplingSaysWhy() throws Exception {
        FakeKernel kernel = new FakeKernel();
        kernel.refuseSampling = "perf events refused (kernel.perf_event_paranoid=3, or seccomp)";
        EngineFixture f = engineWith(kernel);
        assertEquals(kernel.refuseSampling, f.engine.sampleStoreFaults(new FakeSymbols()));
        f.map(BASE, 1, 0);
        kernel.write(BASE);
        assertEquals(List.of("(unknown: tracking=kernel)"), f.finding().threads());
    }

    @Test
    void pagesWrittenThroughAMappingAreCollectedBeforeItIsUnmapped() throws Exception {
        FakeKernel kernel = new FakeKernel();
        EngineFixture f = engineWith(kernel);
        Vma vma = f.map(BASE, 4, 0);
        kernel.write(BASE + 3 * PAGE);
        f.engine.unmap(BASE);
        assertFalse(vma.live);
        Finding finding = f.finding();
        assertEquals(1, finding.unmapped().pages());
        f.fsync();
        assertEquals(List.of(), f.report().findings());
    }

    @Test
    void aMappingTheKernelRefusesIsAnInternalErrorNotASilentPass() throws Exception {
        FakeKernel kernel = new FakeKernel();
        kernel.refuseTrack = true;
        EngineFixture f = engineWith(kernel);
        f.map(BASE, 4, 0);
        assertEquals(1, f.report().internalErrors());
        assertTrue(f.report().internalErrorSamples().get(0).contains("UFFDIO_REGISTER"),
                f.report().internalErrorSamples().toString());
    }
}
