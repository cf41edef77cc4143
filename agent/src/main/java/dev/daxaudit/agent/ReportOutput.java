package dev.daxaudit.agent;

/**
 * One place the engine's report goes while the audited JVM runs: at exit ({@link ExitReport}), every interval
 * ({@link IntervalReports}), or when {@code dax-audit dump} asks ({@link DumpReport}). Each builds the report as of
 * now for its reason, writes it atomically through {@link ReportFiles}, and deals with failure in its own way; none
 * ever throws into the application.
 */
interface ReportOutput {
    /** Writes the report as of now; returns the outcome in one line ({@code ok ...} or {@code error ...}). */
    String write();
}
