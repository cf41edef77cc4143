package dev.daxaudit.maven;

import dev.daxaudit.tools.cli.Cli;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Renders the reports of the build's test JVMs, merged into one: {@code index.html}, {@code dax-audit.sarif}
 * (locations relative to the project's source roots), {@code dax-audit.json}, and the text summary in the log.
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class ReportMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(property = "dax-audit.reportDirectory", defaultValue = "${project.build.directory}/dax-audit")
    File reportDirectory;

    @Parameter(property = "dax-audit.outputDirectory", defaultValue = "${project.reporting.outputDirectory}/dax-audit")
    File outputDirectory;

    @Parameter(property = "dax-audit.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            return;
        }
        try {
            List<Path> reports = Reports.in(reportDirectory);
            if (reports.isEmpty()) {
                getLog().warn("dax-audit: no reports in " + reportDirectory + " to render");
                return;
            }
            Files.createDirectories(outputDirectory.toPath());
            List<String> args = new ArrayList<>(List.of("report"));
            reports.forEach(r -> args.add(r.toString()));
            Path out = outputDirectory.toPath();
            args.addAll(List.of("--json", out.resolve("dax-audit.json").toString(), "--html",
                    out.resolve("index.html").toString(), "--sarif", out.resolve("dax-audit.sarif").toString(),
                    "--text"));
            for (String root : sourceRoots()) {
                args.addAll(List.of("--source-root", root));
            }
            Reports.expected(reportDirectory).forEach(e -> args.addAll(List.of("--expected", e.toString())));
            if (Cli.execute(args.toArray(new String[0])) != 0) {
                throw new MojoExecutionException("dax-audit: the reports in " + reportDirectory
                        + " could not be rendered (see the line above)");
            }
            getLog().info("dax-audit: HTML report at " + out.resolve("index.html"));
        } catch (IOException e) {
            throw new MojoExecutionException("dax-audit: " + e.getMessage(), e);
        }
    }

    private List<String> sourceRoots() {
        List<String> roots = new ArrayList<>(project.getCompileSourceRoots());
        roots.addAll(project.getTestCompileSourceRoots());
        roots.removeIf(r -> !new File(r).isDirectory());
        return roots;
    }
}
