package dev.daxaudit.junit;

import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.OptionsException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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

    /** Appends {@code line} to this JVM's {@code kind} file; nothing when the report has no directory of its own. */
    static void append(String kind, String line) {
        String arg = agentArgument();
        if (arg == null || !arg.contains("=")) {
            return; // no report option: the report goes to the working directory, which check does not read
        }
        try {
            String pid = Long.toString(ProcessHandle.current().pid());
            String report = AgentOptions.parse(arg.substring(arg.indexOf('=') + 1)).reportPath().replace("{pid}", pid);
            Path dir = Paths.get(report).toAbsolutePath().getParent();
            Files.writeString(dir.resolve("dax-audit-" + pid + "." + kind), line.replace('\n', ' ') + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException | OptionsException e) {
            // the report's directory is not there or not writable: the report itself will say so
        }
    }

    /** This JVM's {@code -javaagent:} argument for the dax-audit jar, after {@code -javaagent:}; null if none. */
    static String agentArgument() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-javaagent:") && arg.contains("dax-audit")) {
                return arg.substring("-javaagent:".length());
            }
        }
        return null;
    }
}
