package dev.daxaudit.benchmarks;

import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.FileId;
import dev.daxaudit.core.MappingMode;
import dev.daxaudit.core.Storage;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.JsonReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The report at scale, measured in this JVM with the engine itself (made-up addresses, as the engine's unit tests
 * use): {@value #FILES} files mapped, one 64 KiB mapping each with one unsynced page, so {@value #FILES} findings;
 * the best of five times to build the report and write it as JSON, and its size.
 */
final class ReportScale {
    static final int FILES = 10_000;
    private static final long WINDOW = 64 << 10;

    private ReportScale() {
    }

    /** {milliseconds, bytes}. */
    static double[] measure() throws Exception {
        DaxEngine engine = new DaxEngine(AgentOptions.parse("formats=json"), System::nanoTime,
                new Storage.Probe() {
                    @Override
                    public Storage of(long device, String path) {
                        return new Storage("ext4", "/data", Storage.Model.PAGE_CACHE, "benchmark");
                    }
                });
        for (int i = 0; i < FILES; i++) {
            long address = 0x7f00_0000_0000L + i * WINDOW;
            engine.map(new FileId(8, i + 1), "/data/segment-" + i + ".log", MappingMode.READ_WRITE, address, WINDOW, 0,
                    WINDOW, WINDOW);
            engine.store(address + 100, 8);
        }
        double best = Double.MAX_VALUE;
        int bytes = 0;
        for (int run = 0; run < 5; run++) {
            long start = System.nanoTime();
            AuditReport report = engine.report("exit");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(report, out);
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
            bytes = out.size();
        }
        return new double[] {best, bytes};
    }

    private static void write(AuditReport report, ByteArrayOutputStream out) throws IOException {
        new JsonReportWriter().write(report, out);
    }
}
