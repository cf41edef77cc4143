package dev.daxaudit.core;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.FindingKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** An engine over made-up addresses with a clock the test moves. */
final class EngineFixture {
    static final long BASE = 0x7f00_0000_0000L;
    static final FileId FILE = new FileId(8, 1234);
    static final long PAGE = Pages.PAGE_SIZE;

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final DaxEngine engine;

    EngineFixture() throws OptionsException {
        this("");
    }

    EngineFixture(String options) throws OptionsException {
        engine = new DaxEngine(AgentOptions.parse(options), clock::get);
    }

    Vma map(long address, long pages, long fileOffset) {
        return map(FILE, MappingMode.READ_WRITE, address, pages, fileOffset);
    }

    Vma map(FileId file, MappingMode mode, long address, long pages, long fileOffset) {
        long size = pages * PAGE;
        long fileSize = Math.max(fileOffset + size, 64 * Pages.PMD_SIZE);
        return engine.map(file, "/data/file-" + file.inode(), mode, address, size, fileOffset, fileSize, fileSize);
    }

    void force(long address, long length) {
        engine.finishWriteback(engine.startForce(address, length, false), true);
    }

    AuditReport report() {
        return engine.report("exit");
    }

    List<Finding> findings(FindingKind kind) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : report().findings()) {
            if (f.kind() == kind) {
                out.add(f);
            }
        }
        return out;
    }

    /** Unsynced byte ranges at exit as [start, end) pairs, flattened. */
    List<Long> unsyncedRanges() {
        List<Long> out = new ArrayList<>();
        for (Finding f : findings(FindingKind.UNSYNCED_AT_EXIT)) {
            f.ranges().forEach(r -> {
                out.add(r.start());
                out.add(r.end());
            });
        }
        return out;
    }
}
