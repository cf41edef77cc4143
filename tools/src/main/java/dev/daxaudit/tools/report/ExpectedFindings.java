package dev.daxaudit.tools.report;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.PageRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The findings tests declared with {@code @ExpectUnsynced}, as the JUnit extension lists them beside a test JVM's
 * report ({@code <file> TAB <start>-<end>,... TAB <test>} per line, byte ranges). A finding every page of which a
 * declaration covers is accepted: {@code check} does not count it, so that a test of failure handling that passes
 * does not fail the build, and {@code report} shows it marked as declared (HTML) or suppressed (SARIF).
 */
public final class ExpectedFindings {
    /** No declaration: nothing accepted. */
    public static final ExpectedFindings NONE = new ExpectedFindings();

    /** A declared byte range of a file, and the test that declared it. */
    private record Declared(long start, long end, String test) {
    }

    private final Map<String, List<Declared>> byFile = new HashMap<>();

    public static ExpectedFindings read(List<Path> files) throws IOException {
        ExpectedFindings out = new ExpectedFindings();
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.split("\t");
                if (fields.length < 2) {
                    continue;
                }
                String test = fields.length > 2 ? fields[2] : "a test";
                List<Declared> list = out.byFile.computeIfAbsent(fields[0], k -> new ArrayList<>());
                for (String range : fields[1].split(",")) {
                    String[] ends = range.split("-");
                    if (ends.length == 2 && ends[0].matches("\\d+") && ends[1].matches("\\d+")) {
                        list.add(new Declared(Long.parseLong(ends[0]), Long.parseLong(ends[1]), test));
                    }
                }
            }
        }
        return out;
    }

    /** {@code report} without the findings the declarations cover whole. */
    public AuditReport withoutDeclared(AuditReport report) {
        if (byFile.isEmpty()) {
            return report;
        }
        List<Finding> kept = new ArrayList<>();
        for (Finding f : report.findings()) {
            if (declaredBy(f) == null) {
                kept.add(f);
            }
        }
        return new AuditReport(report.schemaVersion(), report.toolVersion(), report.reason(), report.jvm(),
                report.workingDirectory(), report.options(), report.excludedFiles(), report.excludedFileCount(), kept,
                report.hazards(), report.syncLag(), report.writebackLatency(), report.files(),
                report.internalErrors(), report.internalErrorSamples(), report.hookedTypes(), report.memorySegments(),
                report.tracker(), report.trackerChoice(), report.lateAttach(), report.blindSpots(), report.detail());
    }

    /**
     * The tests whose declarations cover every range of {@code f} (each range within one declared range), joined
     * with ", "; null when some range is not covered.
     */
    public String declaredBy(Finding f) {
        List<Declared> declared = byFile.get(f.file());
        if (declared == null) {
            return null;
        }
        TreeSet<String> tests = new TreeSet<>();
        for (PageRange r : f.ranges()) {
            Declared covering = null;
            for (Declared d : declared) {
                if (d.start() <= r.start() && r.end() <= d.end()) {
                    covering = d;
                    break;
                }
            }
            if (covering == null) {
                return null;
            }
            tests.add(covering.test());
        }
        return String.join(", ", tests);
    }

    /** How many findings of {@code report} the declarations cover whole. */
    public long count(AuditReport report) {
        return report.findings().stream().filter(f -> declaredBy(f) != null).count();
    }
}
