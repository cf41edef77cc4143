package dev.daxaudit.tools.cli;

import dev.daxaudit.tools.report.Fingerprint;
import dev.daxaudit.tools.report.ReportDiff;
import dev.daxaudit.tools.report.ReportDocument;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code diff <old.json> <new.json>}: findings and hazards that are new, and those that were fixed, matched by
 * {@link Fingerprint} so that a baseline survives a moved checkout and edited line numbers. Exit status 1 when
 * anything is new, for CI gates.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two reports: new and fixed findings and hazards, matched by kind, file (relative to "
                + "each report's working directory) and the class and method of their sites; line numbers only break "
                + "ties. Exit status 0: nothing new; 1: something new; 2: bad input.")
final class DiffCommand implements Callable<Integer> {
    static final int SOMETHING_NEW = 1;

    @Parameters(index = "0", paramLabel = "<old.json>")
    Path before;

    @Parameters(index = "1", paramLabel = "<new.json>")
    Path after;

    @Mixin
    PathOptions paths;

    @Override
    public Integer call() throws Exception {
        ReportDiff diff = ReportDiff.of(ReportDocument.read(before).report(), ReportDocument.read(after).report(),
                paths.style());
        diff.added().forEach(k -> System.out.println("NEW   " + k));
        diff.fixed().forEach(k -> System.out.println("FIXED " + k));
        System.out.println(diff.added().size() + " new, " + diff.fixed().size() + " fixed, " + diff.unchanged()
                + " unchanged");
        return diff.added().isEmpty() ? 0 : SOMETHING_NEW;
    }
}
