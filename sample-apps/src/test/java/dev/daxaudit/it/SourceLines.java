package dev.daxaudit.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Line numbers of the {@code // site:NAME} markers in the sample sources, so tests assert exact sites without
 * hard-coding numbers that move with every edit.
 */
final class SourceLines {
    private static final String[] SOURCE_ROOTS = System.getProperty("dax.samples.sources").split(":");

    private SourceLines() {
    }

    static int line(String sourceFile, String marker) {
        try {
            List<String> lines = Files.readAllLines(source(sourceFile));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).endsWith("// site:" + marker)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no marker site:" + marker + " in " + sourceFile);
    }

    private static Path source(String sourceFile) {
        for (String root : SOURCE_ROOTS) {
            Path p = Paths.get(root, "dev/daxaudit/samples", sourceFile);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError("no sample source " + sourceFile);
    }

    /** {@code Class.method:line} of a marker in a sample class. */
    static String site(String sampleClass, String method, String marker) {
        return "dev.daxaudit.samples." + sampleClass + "." + method + ":" + line(sampleClass + ".java", marker);
    }
}
