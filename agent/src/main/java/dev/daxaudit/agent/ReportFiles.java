package dev.daxaudit.agent;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.JsonReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * Report files that a reader never sees half written, and a place to put a report that cannot go where it was asked
 * to. A report is written to a temporary file in the target's own directory, then renamed over the target.
 */
final class ReportFiles {
    private ReportFiles() {
    }

    static byte[] json(AuditReport report) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonReportWriter().write(report, out);
        return out.toByteArray();
    }

    /** Writes {@code bytes} to {@code target} atomically: a reader sees the old file or the whole new one. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        // Named by pid and time, not by Files.createTempFile, whose random names would initialise SecureRandom and
        // the security providers in every audited JVM's exit (4% of a trivial program's CPU under the agent).
        Path tmp = dir.resolve("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        try {
            Files.write(tmp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Where a report goes when {@code target} cannot be written: the temporary directory, named for this JVM. */
    static Path fallback(Path target) {
        return Paths.get(System.getProperty("java.io.tmpdir"), "dax-audit-" + ProcessHandle.current().pid() + "-"
                + target.getFileName());
    }

    /** Why a write failed, in a few words: the exception's simple name and message. */
    static String reason(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * A problem with the report's directory that is visible now, or null: said once at start, so a user sees it
     * while the program runs rather than only at exit.
     */
    static String problemWith(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return "the report directory " + dir + " does not exist";
        }
        if (!Files.isWritable(dir)) {
            return "the report directory " + dir + " is not writable";
        }
        return null;
    }
}
