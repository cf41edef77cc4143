package dev.daxaudit.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Lines the extensions leave beside this JVM's report ({@code dax-audit-<pid>.<kind>} in the report's directory),
 * for the build's {@code check}, which reads that directory: what the report alone cannot say. {@code crash-tests}:
 * a {@code @CrashTest} workload and the files it mapped in its fork; {@code expected}: a finding an
 * {@code @ExpectUnsynced} test declared, its file and byte ranges.
 */
final class ReportSidecar {
    private ReportSidecar() {
    }

    /** Appends {@code line} to this JVM's {@code kind} file; nothing when the agent was given no report path. */
    static void append(String kind, String line) {
        String report = EngineAccess.available() ? EngineAccess.reportPath() : null;
        if (report == null) {
            return; // the report goes to the working directory, which check does not read
        }
        try {
            Path dir = Paths.get(report).toAbsolutePath().getParent();
            Files.writeString(dir.resolve("dax-audit-" + ProcessHandle.current().pid() + "." + kind),
                    line.replace('\n', ' ') + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            // the report's directory is not there or not writable: the report itself will say so
        }
    }
}
