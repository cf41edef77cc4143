package dev.daxaudit.agent;

import dev.daxaudit.core.DaxEngine;
import java.nio.file.Path;

/** {@code dax-audit dump <pid>}: the report as of now, written atomically where asked; nothing is printed in the target. */
final class DumpReport implements ReportOutput {
    private final DaxEngine engine;
    private final Path out;

    DumpReport(DaxEngine engine, Path out) {
        this.engine = engine;
        this.out = out;
    }

    @Override
    public String write() {
        try {
            ReportFiles.writeAtomically(out, ReportFiles.json(engine.report("dump")));
            return "ok report written to " + out;
        } catch (Throwable t) {
            return "error could not write " + out + " (" + ReportFiles.reason(t) + ")";
        }
    }
}
