package dev.daxaudit.tools.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxaudit.core.report.Actor;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Distribution;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import dev.daxaudit.core.report.Hazard;
import dev.daxaudit.core.report.HazardKind;
import dev.daxaudit.core.report.JsonReportWriter;
import dev.daxaudit.core.report.MappingSummary;
import dev.daxaudit.core.report.PageMap;
import dev.daxaudit.core.report.PageRange;
import dev.daxaudit.core.report.Site;
import dev.daxaudit.core.report.SiteCount;
import dev.daxaudit.core.report.SitePrecision;
import dev.daxaudit.core.report.StorageSummary;
import dev.daxaudit.core.report.TextSummary;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader gives back, record for record, what the writer wrote: one model at exit and on the command line. */
class ReportReaderTest {
    private static final Site STORE = new Site("app.Log", "append", "Log.java", 42);
    private static final Site MAP = new Site("app.Log", "open", null, -1);

    @Test
    void readsBackTheRecordsTheWriterWrote() throws Exception {
        AuditReport written = report();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonReportWriter().write(written, out);
        ReportDocument document = ReportDocument.parse(out.toString(StandardCharsets.UTF_8), "test.json");
        assertEquals(written, document.report());
        assertEquals(TextSummary.render(written, "r.json"), TextSummary.render(document.report(), "r.json"));
    }

    private static AuditReport report() {
        Distribution lag = new Distribution(3, 0.5, 1.25, 2.0, 2.0,
                List.of(new Distribution.Point(50.0, 0.5), new Distribution.Point(100.0, 2.0)));
        Distribution none = new Distribution(0, 0, 0, 0, 0, List.of());
        Actor close = new Actor("close", "main", STORE);
        Actor unmap = new Actor("unmap", "Cleaner-0", Site.GC_CLEANER);
        Actor force = new Actor("force", "flusher", STORE);
        Finding finding = new Finding(FindingKind.UNSYNCED, "/data/a.log", 3,
                List.of(new PageRange(0, 8192, 12.5), new PageRange(16384, 20480, 1.0)),
                List.of(new SiteCount(STORE, 2), new SiteCount(MAP, 1)), List.of("main", "writer-1"),
                new Finding.Unmapped(1, unmap), close, new Finding.Race(force, new Actor("store", "main", STORE), 1),
                2, 0, SitePrecision.LINE, "stored and never forced");
        Finding kernelSeen = new Finding(FindingKind.UNSYNCED, "/data/b.log", 1,
                List.of(new PageRange(4096, 8192, 0.25)), List.of(new SiteCount(MAP, 1)), List.of(), null, null,
                null, 0, 1, SitePrecision.METHOD, "seen by the kernel");
        Hazard h1 = new Hazard(HazardKind.TRUNCATE_UNDER_MAPPING, "/data/a.log", 8192, 16384,
                new Actor("map", "main", MAP), new Actor("truncate", "main", STORE), 2, 3);
        Hazard h4 = new Hazard(HazardKind.CONCURRENT_FIRST_TOUCH, "/data/b.log", 0, 4096,
                new Actor("first touch", "t1", STORE), new Actor("first touch", "t2", null), 1, 0);
        FileSummary file = new FileSummary("/data/a.log", 2049, 12, 20480,
                new StorageSummary("ext4", "/data", "dax", true, "mounted with -o dax", "pmd", "fs"),
                List.of(new MappingSummary(0, 20480, "READ_WRITE", MAP, "main", 2, 1),
                        new MappingSummary(0, 4096, "READ_ONLY", null, null, 1, 0)),
                5, 1, 0, 4, 2, 0, 1, -1, 8192, 3, 1, 2, lag, none, new PageMap(5, 1, "UUSCU"), 1, 1, 0, false);
        FileSummary tmpfs = new FileSummary("/dev/shm/x", 22, 7, 4096,
                new StorageSummary("tmpfs", "/dev/shm", "volatile", false, "memory only", "pte", null),
                List.of(), 0, 0, 0, 0, 0, 0, 0, 4096, 0, 0, 0, 0, none, none, new PageMap(1, 1, "C"), 0, 0, 0, true);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("report", "r.json");
        options.put("exclude", "*.tmp");
        return new AuditReport(AuditReport.SCHEMA_VERSION, "0.1.0-test", "exit", "Vendor 25", "/work",
                options, List.of("/data/x.tmp"), 25, List.of(finding, kernelSeen), List.of(h1, h4), lag, none,
                List.of(file, tmpfs), 2, List.of("store: IllegalStateException \"quoted\""), List.of("sun.nio.ch.FileChannelImpl"),
                true, "bytecode", "tracking=auto: the kernel tracker is not available here (needs JDK 22+ (the FFM API), "
                + "this is JDK 17)", new AuditReport.LateAttach(3, 12288), AuditReport.BLIND_SPOTS,
                new AuditReport.Detail(8 << 20, 1));
    }
}
