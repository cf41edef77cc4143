package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.TextSummary;
import org.junit.jupiter.api.Test;

/**
 * Past the {@code memory=} budget a file's detail is summarised, and nothing a verdict needs is lost: the findings,
 * the counters and the report's latency totals are those of a run with room for every file.
 */
class DetailBudgetTest {
    /** Files that fill a budget of 1 MiB exactly. */
    private static final int FILL = (int) ((1 << 20) / DetailBudget.FILE_BYTES);

    /** {@code files} files, one page each stored; every other one forced; the first forced {@code firstForces} times. */
    private static AuditReport run(String options, int files, int firstForces) throws Exception {
        EngineFixture f = new EngineFixture(options);
        for (int i = 0; i < files; i++) {
            long address = BASE + (long) i * 0x20_0000;
            f.map(new FileId(8, 1000 + i), MappingMode.READ_WRITE, address, 1, 0);
            f.engine.store(address, 8);
            for (int n = 0; n < (i == 0 ? firstForces : i % 2); n++) {
                f.clock.addAndGet(1_000_000);
                f.force(address, PAGE);
                f.engine.store(address, 8);
            }
        }
        return f.report();
    }

    private static long summarised(AuditReport r) {
        return r.files().stream().filter(FileSummary::detailSummarised).count();
    }

    @Test
    void filesPastTheBudgetAreSummarisedAndTheVerdictsAreTheSame() throws Exception {
        AuditReport roomy = run("memory=64", FILL + 5, 1);
        AuditReport tight = run("memory=1", FILL + 5, 1);
        assertEquals(0, roomy.detail().summarisedFiles());
        assertEquals(5, tight.detail().summarisedFiles());
        assertEquals(5, summarised(tight));
        assertEquals(1L << 20, tight.detail().budgetBytes());
        assertEquals(roomy.findings(), tight.findings());
        assertEquals(roomy.writebackLatency().count(), tight.writebackLatency().count());
        assertEquals(roomy.syncLag().count(), tight.syncLag().count());
        FileSummary last = tight.files().get(tight.files().size() - 1);
        assertTrue(last.detailSummarised());
        assertEquals(java.util.List.of(), last.mappings());
        assertEquals(0, last.writebackLatency().count());
        FileSummary lastRoomy = roomy.files().get(roomy.files().size() - 1);
        assertEquals(lastRoomy.msyncs(), last.msyncs());
        assertEquals(lastRoomy.pagesSynced(), last.pagesSynced());
        assertTrue(TextSummary.render(tight, null).contains("summarised for 5 file(s) past the memory budget of 1 MiB"));
        assertFalse(TextSummary.render(roomy, null).contains("summarised"));
    }

    @Test
    void aFileWhoseLatenciesOutgrowABudgetSpentElsewhereIsSummarisedWithTheirValuesKept() throws Exception {
        // The first file is forced often enough to need a histogram, but only after the budget is spent (files are
        // mapped first, then forced: run() forces each file as it maps it, so map the rest first here).
        EngineFixture f = new EngineFixture("memory=1");
        for (int i = FILL - 1; i >= 0; i--) {
            f.map(new FileId(8, 1000 + i), MappingMode.READ_WRITE, BASE + (long) i * 0x20_0000, 1, 0);
        }
        for (int n = 0; n < 20; n++) {
            f.engine.store(BASE, 8);
            f.clock.addAndGet(1_000_000);
            f.force(BASE, PAGE);
        }
        AuditReport r = f.report();
        assertEquals(1, r.detail().summarisedFiles());
        FileSummary first = r.files().stream().filter(FileSummary::detailSummarised).findFirst().orElseThrow();
        assertEquals(20, first.msyncs());
        assertEquals(20, first.pagesSynced());
        assertEquals(0, first.syncLag().count());
        assertEquals(20, r.writebackLatency().count());
        assertEquals(20, r.syncLag().count());
    }

    @Test
    void aBadBudgetIsOneLine() {
        for (String bad : new String[] {"0", "-1", "2000000", "64m", ""}) {
            OptionsException e = org.junit.jupiter.api.Assertions.assertThrows(OptionsException.class,
                    () -> AgentOptions.parse("memory=" + bad));
            assertTrue(e.getMessage().length() < 200 && !e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains("'memory'"), e.getMessage());
        }
    }
}
