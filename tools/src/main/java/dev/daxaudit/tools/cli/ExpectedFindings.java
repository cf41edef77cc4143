package dev.daxaudit.tools.cli;

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

/**
 * The findings tests declared with {@code @ExpectUnsynced}, as the JUnit extension lists them beside a test JVM's
 * report ({@code <file> TAB <start>-<end>,... TAB <test>} per line, byte ranges): the check does not fail on a finding
 * every page of which a declaration covers, so that a test of failure handling that passes does not fail the build.
 */
final class ExpectedFindings {
    private final Map<String, List<long[]>> ranges = new HashMap<>();

    static ExpectedFindings read(List<Path> files) throws IOException {
        ExpectedFindings out = new ExpectedFindings();
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.split("\t");
                if (fields.length < 2) {
                    continue;
                }
                List<long[]> list = out.ranges.computeIfAbsent(fields[0], k -> new ArrayList<>());
                for (String range : fields[1].split(",")) {
                    String[] ends = range.split("-");
                    if (ends.length == 2 && ends[0].matches("\\d+") && ends[1].matches("\\d+")) {
                        list.add(new long[] {Long.parseLong(ends[0]), Long.parseLong(ends[1])});
                    }
                }
            }
        }
        return out;
    }

    /** {@code report} without the findings the declarations cover whole. */
    AuditReport withoutDeclared(AuditReport report) {
        if (ranges.isEmpty()) {
            return report;
        }
        List<Finding> kept = new ArrayList<>();
        for (Finding f : report.findings()) {
            if (!covered(f)) {
                kept.add(f);
            }
        }
        return new AuditReport(report.schemaVersion(), report.toolVersion(), report.reason(), report.jvm(),
                report.workingDirectory(), report.options(), report.excludedFiles(), report.excludedFileCount(), kept,
                report.hazards(), report.syncLag(), report.writebackLatency(), report.files(),
                report.internalErrors(), report.internalErrorSamples(), report.hookedTypes(), report.memorySegments(),
                report.tracker(), report.lateAttach(), report.blindSpots());
    }

    private boolean covered(Finding f) {
        List<long[]> declared = ranges.get(f.file());
        if (declared == null) {
            return false;
        }
        for (PageRange r : f.ranges()) {
            boolean inOne = false;
            for (long[] d : declared) {
                inOne |= d[0] <= r.start() && r.end() <= d[1];
            }
            if (!inOne) {
                return false;
            }
        }
        return true;
    }
}
