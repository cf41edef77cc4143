package dev.daxaudit.agent;

import dev.daxaudit.core.hooks.ExitReserve;
import dev.daxaudit.core.hooks.Failpoints;
import dev.daxaudit.core.report.TextSummary;
import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.report.AuditReport;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The shutdown hook, run at a normal exit, {@code System.exit}, SIGTERM and SIGINT: writes the JSON report and the
 * text summary. The report always reaches the user: if the JSON cannot be written where asked, it goes to a fallback
 * file that the error line names, and the summary is printed whatever the formats. With {@code failOnFindings=true}
 * the exit status comes from the findings, never from whether a file could be written. Never throws.
 *
 * <p>A program may end with its heap full of its own live data: the heap held back from the agent's start
 * ({@link ExitReserve}) is given back as shutdown begins, and again here. Where even that is too little, one line
 * says so, and under {@code failOnFindings} a report that could not be built fails the run (status 77), as it does
 * for any other reason: a gate never passes on an audit it cannot show.
 */
final class ExitReport implements Runnable, ReportOutput {
    /** Allocated when nothing else can be: the line that says the heap left no room for the report. */
    private static final String NO_ROOM = "dax-audit: the heap was full at exit: no report (OutOfMemoryError); "
            + "give the JVM more heap (-Xmx) to have it";
    private final DaxEngine engine;
    private final IntervalReports interval;

    ExitReport(DaxEngine engine, IntervalReports interval) {
        this.engine = engine;
        this.interval = interval;
    }

    @Override
    public void run() {
        ExitReserve.release(); // where the hook in Shutdown.runHooks could not be installed
        try {
            write();
        } catch (OutOfMemoryError e) {
            System.err.println(NO_ROOM);
            if (engine.options().failOnFindings()) {
                Runtime.getRuntime().halt(AgentOptions.FINDINGS_EXIT_STATUS);
            }
        }
    }

    @Override
    public String write() {
        if (interval != null) {
            interval.halt();
        }
        AgentOptions options = engine.options();
        AuditReport report;
        try {
            report = engine.report("exit");
        } catch (Throwable t) {
            say("could not build the report: " + ReportFiles.reason(t));
            failIfAsked(options, "the report could not be built");
            return "error the report could not be built";
        }
        String jsonPath = null;
        boolean summarise = options.formats().contains(AgentOptions.Format.TEXT);
        if (options.formats().contains(AgentOptions.Format.JSON)) {
            Path target = Paths.get(options.reportPath()).toAbsolutePath();
            try {
                if (Failpoints.is("report")) {
                    Failpoints.fail("report");
                }
                ReportFiles.writeAtomically(target, ReportFiles.json(report));
                jsonPath = target.toString();
            } catch (Throwable t) {
                if (!(t instanceof java.io.IOException)) {
                    engine.errors().record("report", t); // an error of the agent's, not of the file system
                }
                String why = t instanceof java.io.IOException && ReportFiles.problemWith(target) != null
                        ? ReportFiles.problemWith(target) : ReportFiles.reason(t);
                summarise = true;
                Path fallback = ReportFiles.fallback(target);
                try {
                    report = engine.report("exit");
                    ReportFiles.writeAtomically(fallback, ReportFiles.json(report));
                    jsonPath = fallback.toString();
                    say("could not write the report to " + ReportFiles.shown(target) + " (" + why + "); wrote it to "
                            + fallback);
                } catch (Throwable again) {
                    say("could not write the report to " + ReportFiles.shown(target) + " (" + why + ") nor to "
                            + fallback + " ("
                            + ReportFiles.reason(again) + ")");
                }
            }
        }
        if (summarise) {
            try {
                System.err.print(TextSummary.render(report, jsonPath)); // from the records, not the JSON read back
            } catch (Throwable t) {
                say(report.findings().size() + " finding(s), " + report.unsyncedPages() + " unsynced page(s), "
                        + report.hazards().size() + " hazard(s) (summary not rendered: " + ReportFiles.reason(t) + ")");
            }
            System.err.flush();
        }
        if (!report.findings().isEmpty() || !report.hazards().isEmpty()) {
            failIfAsked(options, report.findings().size() + " finding(s), " + report.hazards().size() + " hazard(s)");
        }
        if (!options.formats().contains(AgentOptions.Format.JSON)) {
            return "ok summary printed";
        }
        return jsonPath != null ? "ok report written to " + jsonPath : "error the JSON report was not written";
    }

    /** failOnFindings: ends the JVM with status 77. */
    private static void failIfAsked(AgentOptions options, String why) {
        if (options.failOnFindings()) {
            say("failOnFindings: " + why + "; exit status " + AgentOptions.FINDINGS_EXIT_STATUS);
            System.err.flush();
            // The only way to change the exit status from a shutdown hook. It also ends any other hook still
            // running, which is why this is opt-in.
            Runtime.getRuntime().halt(AgentOptions.FINDINGS_EXIT_STATUS);
        }
    }

    private static void say(String line) {
        System.err.println("dax-audit: " + line);
    }
}
