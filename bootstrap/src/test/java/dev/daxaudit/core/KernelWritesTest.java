package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.Finding;
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
        boolean refuseTrack;

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
        assertFalse(finding.storeSitesKnown());
        assertEquals(List.of("(unknown: tracking=kernel)"), finding.threads());
        assertEquals(vma.mapped.site, finding.sites().get(0).site());
        assertTrue(finding.explanation().contains("tracking=kernel"), finding.explanation());
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
