package dev.daxaudit.maven;

import dev.daxaudit.tools.cli.Cli;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Fails the build on findings and hazards in the reports of its test JVMs; with a {@code baseline} report, only on
 * those the baseline does not have (matched as {@code dax-audit diff} does: kind, relative file, class and method of
 * the sites). A report that cannot be read fails the build too, and so, by default, does finding no report at all:
 * a gate must not pass because nothing was audited.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class CheckMojo extends AbstractMojo {
    @Parameter(property = "dax-audit.reportDirectory", defaultValue = "${project.build.directory}/dax-audit")
    File reportDirectory;

    /** A report of accepted findings: only findings and hazards not in it fail the build. */
    @Parameter(property = "dax-audit.baseline")
    File baseline;

    /** Whether a build whose tests wrote no report fails (the agent did not run in them). */
    @Parameter(property = "dax-audit.failOnMissingReports", defaultValue = "true")
    boolean failOnMissingReports;

    /**
     * Whether a build fails when no report saw any mapped file: the tests ran under the agent but mapped nothing, or
     * no test ran at all (a Surefire before 2.22 runs no JUnit 5 test). False for modules that map nothing.
     */
    @Parameter(property = "dax-audit.failOnNothingMapped", defaultValue = "true")
    boolean failOnNothingMapped;

    @Parameter(property = "dax-audit.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            return;
        }
        List<Path> reports;
        try {
            reports = Reports.in(reportDirectory);
        } catch (IOException e) {
            throw new MojoFailureException("dax-audit: cannot list the reports in " + reportDirectory + ": "
                    + e.getMessage(), e);
        }
        if (reports.isEmpty()) {
            String message = "dax-audit: no reports in " + reportDirectory + ": did prepare-agent run before the tests, "
                    + "and does the Surefire/Failsafe argLine keep @{argLine}?";
            if (failOnMissingReports) {
                throw new MojoFailureException(message);
            }
            getLog().warn(message);
            return;
        }
        boolean crashTestsMapped;
        try {
            crashTestsMapped = Reports.crashTestsMapped(reportDirectory);
        } catch (IOException e) {
            crashTestsMapped = false;
        }
        if (nothingMapped(reports) && !crashTestsMapped) {
            String message = "dax-audit: no report in " + reportDirectory + " saw a mapped file: did the tests run "
                    + "(Surefire 2.22+ for JUnit 5)? For a module that maps nothing: -Ddax-audit.failOnNothingMapped=false";
            if (failOnNothingMapped) {
                throw new MojoFailureException(message);
            }
            getLog().warn(message);
        }
        List<String> args = new ArrayList<>(List.of("check"));
        reports.forEach(r -> args.add(r.toString()));
        if (baseline != null) {
            args.addAll(List.of("--baseline", baseline.getAbsolutePath()));
        }
        try {
            // Findings an @ExpectUnsynced test declared (and passed on) do not fail the build either.
            Reports.expected(reportDirectory).forEach(e -> args.addAll(List.of("--expected", e.toString())));
        } catch (IOException e) {
            getLog().warn("dax-audit: cannot list the declared findings in " + reportDirectory + ": " + e.getMessage());
        }
        int status = Cli.execute(args.toArray(new String[0]));
        if (status == 1) {
            throw new MojoFailureException("dax-audit: check failed: stores through memory-mapped files were left "
                    + "unsynced, or hazards were found (see above)");
        }
        if (status != 0) {
            throw new MojoFailureException("dax-audit: check could not read the reports in " + reportDirectory
                    + " (see the line above)");
        }
    }

    /** Whether every report saw no mapped file; an unreadable report is left for the check to say so. */
    private static boolean nothingMapped(List<Path> reports) {
        for (Path report : reports) {
            try {
                if (!dev.daxaudit.tools.report.ReportDocument.read(report).report().files().isEmpty()) {
                    return false;
                }
            } catch (dev.daxaudit.tools.report.ReportDocument.BadReportException e) {
                return false;
            }
        }
        return true;
    }
}
