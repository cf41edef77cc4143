package dev.daxaudit.agent;

import dev.daxaudit.core.DaxEngine;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code interval=<seconds>}: writes the JSON report every so often while the JVM runs, so that a process killed
 * with SIGKILL (no shutdown hooks) loses at most one interval of audit. Each write is atomic; the exit report
 * stops this writer before it writes, so the last report on disk is always the exit report.
 */
final class IntervalReports extends Thread implements ReportOutput {
    private final DaxEngine engine;
    private final long millis;
    private final Path target;
    private boolean stopped;
    private boolean failureSaid;

    IntervalReports(DaxEngine engine, long millis) {
        super("dax-audit-interval-report");
        setDaemon(true);
        this.engine = engine;
        this.millis = millis;
        this.target = Paths.get(engine.options().reportPath()).toAbsolutePath();
    }

    @Override
    public void run() {
        while (true) {
            synchronized (this) {
                long until = System.currentTimeMillis() + millis;
                for (long left = millis; left > 0 && !stopped; left = until - System.currentTimeMillis()) {
                    try {
                        wait(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                write();
            }
        }
    }

    /** Under this object's lock, so {@link #halt()} waits for a write in progress. */
    @Override
    public String write() {
        try {
            ReportFiles.writeAtomically(target, ReportFiles.json(engine.report("interval")));
            return "ok report written to " + target;
        } catch (Throwable t) {
            if (!(t instanceof java.io.IOException)) {
                engine.errors().record("interval report", t); // the agent's own error, not the file system's
            }
            if (!failureSaid) {
                failureSaid = true;
                System.err.println("dax-audit: could not write the interval report to " + target + " ("
                        + ReportFiles.reason(t) + "); the exit report will say where it went");
            }
            return "error could not write " + target + " (" + ReportFiles.reason(t) + ")";
        }
    }

    /** No more interval reports: the exit report is about to be written. */
    synchronized void halt() {
        stopped = true;
        notifyAll();
    }
}
