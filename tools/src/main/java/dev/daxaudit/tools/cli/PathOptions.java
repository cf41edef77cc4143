package dev.daxaudit.tools.cli;

import dev.daxaudit.tools.report.Fingerprint;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How {@code diff} and {@code check} compare file paths across reports. */
final class PathOptions {
    @Option(names = "--root", paramLabel = "DIR",
            description = "Compare file paths relative to DIR instead of each report's working directory.")
    Path root;

    @Option(names = "--file-names", description = "Compare files by name only (for files in temporary directories).")
    boolean fileNames;

    Fingerprint.Paths style() {
        return fileNames ? Fingerprint.Paths.namesOnly()
                : Fingerprint.Paths.relativeTo(root == null ? null : root.toAbsolutePath());
    }
}
