package dev.daxaudit.core;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.FileSummary;
import dev.daxaudit.core.report.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** An engine over made-up addresses with a clock the test moves, on a filesystem the test chooses. */
final class EngineFixture {
    static final long BASE = 0x7f00_0000_0000L;
    static final FileId FILE = new FileId(8, 1234);
    static final long PAGE = Pages.PAGE_SIZE;
    /** Every file on a DAX mount, so the DAX-only parts of the model (PMD entries, MAP_SYNC, zeroing) apply. */
    static final Storage.Probe DAX = (device, path) -> new Storage("ext4", "/pmem", Storage.Model.DAX, "test: dax");
    static final Storage.Probe PAGE_CACHE =
            (device, path) -> new Storage("ext4", "/", Storage.Model.PAGE_CACHE, "test: page cache");

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final DaxEngine engine;

    EngineFixture() throws OptionsException {
        this("");
    }

    EngineFixture(String options) throws OptionsException {
        this(options, DAX);
    }

    EngineFixture(String options, Storage.Probe storage) throws OptionsException {
        engine = new DaxEngine(AgentOptions.parse(options), clock::get, storage);
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

    void cacheFlush(long address, long length) {
        engine.finishWriteback(engine.startForce(address, length, true), true);
    }

    void fsync() {
        engine.finishWriteback(engine.startFsync(FILE), true);
    }

    AuditReport report() {
        return engine.report("exit");
    }

    /** The one finding of the report. */
    Finding finding() {
        List<Finding> findings = report().findings();
        if (findings.size() != 1) {
            throw new AssertionError("expected one finding, got " + findings);
        }
        return findings.get(0);
    }

    FileSummary file() {
        return report().files().get(0);
    }

    /** Unsynced byte ranges as [start, end) pairs, flattened, over all findings. */
    List<Long> unsyncedRanges() {
        List<Long> out = new ArrayList<>();
        for (Finding f : report().findings()) {
            f.ranges().forEach(r -> {
                out.add(r.start());
                out.add(r.end());
            });
        }
        return out;
    }
}
