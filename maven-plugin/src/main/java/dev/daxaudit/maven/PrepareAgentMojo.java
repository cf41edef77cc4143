package dev.daxaudit.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.daxaudit.core.AgentOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Puts {@code -javaagent:dax-audit-agent.jar=...} into a property, {@code argLine} by default, which Surefire and
 * Failsafe pass to the test JVMs (keep {@code @{argLine}} in their own {@code argLine}). Each test JVM writes its
 * report to {@code target/dax-audit/dax-audit-<pid>.json}; reports of an earlier build there are removed first.
 * An existing value of the property is kept after the agent, as JaCoCo's prepare-agent does.
 */
@Mojo(name = "prepare-agent", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public final class PrepareAgentMojo extends AbstractMojo {
    static final String AGENT = "dev.daxaudit:dax-audit-agent";

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(property = "plugin.artifactMap", required = true, readonly = true)
    Map<String, Artifact> pluginArtifactMap;

    /** The property to set. */
    @Parameter(property = "dax-audit.propertyName", defaultValue = "argLine")
    String propertyName;

    /** Where the test JVMs write their reports. */
    @Parameter(property = "dax-audit.reportDirectory", defaultValue = "${project.build.directory}/dax-audit")
    File reportDirectory;

    /** Agent option {@code include}: globs of files to audit. */
    @Parameter(property = "dax-audit.include")
    String include;

    /** Agent option {@code exclude}: globs of files not to audit. */
    @Parameter(property = "dax-audit.exclude")
    String exclude;

    /** Agent option {@code model}: auto, dax or page-cache. */
    @Parameter(property = "dax-audit.model")
    String model;

    /**
     * Agent option {@code tracking}. Tests keep the store hooks by default, whatever the agent's own default: a test
     * wants each unsynced store's source line and the hazards H2 and H4, and its loops are short. {@code auto} or
     * {@code kernel} lets the kernel track written pages instead (JDK 22+, Linux 6.7+).
     */
    @Parameter(property = "dax-audit.tracking", defaultValue = "bytecode")
    String tracking;

    /** Further agent options, as {@code key=value,key=value}. */
    @Parameter(property = "dax-audit.options")
    String options;

    @Parameter(property = "dax-audit.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            // No agent, so the @DaxAudit tests must run unaudited rather than fail with "the agent is not loaded":
            // the extension's own switch (DaxAuditExtension.REQUIRE_AGENT) goes into the tests' argLine instead.
            String old = project.getProperties().getProperty(propertyName);
            String unaudited = "-Ddax-audit.junit.requireAgent=false";
            project.getProperties().setProperty(propertyName, old == null || old.isBlank() ? unaudited
                    : unaudited + " " + old);
            getLog().info("dax-audit: skipped (the @DaxAudit tests run unaudited)");
            return;
        }
        Artifact agent = pluginArtifactMap.get(AGENT);
        if (agent == null || agent.getFile() == null) {
            throw new MojoExecutionException("dax-audit: the plugin's own dependency " + AGENT + " was not resolved");
        }
        warnOfTooOldTestPlugins();
        clearOldReports();
        Map<String, String> agentOptions = new LinkedHashMap<>();
        agentOptions.put("report", Reports.pathFor(reportDirectory));
        add(agentOptions, "include", include);
        add(agentOptions, "exclude", exclude);
        add(agentOptions, "model", model);
        add(agentOptions, "tracking", tracking);
        String arg;
        try {
            arg = AgentOptions.javaagent(agent.getFile().toPath(), AgentOptions.render(agentOptions, options));
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        }
        if (arg.contains(" ")) {
            arg = "\"" + arg + "\"";
        }
        String old = project.getProperties().getProperty(propertyName);
        String value = old == null || old.isBlank() ? arg : arg + " " + old;
        project.getProperties().setProperty(propertyName, value);
        getLog().info("dax-audit: " + propertyName + " set to " + value);
    }

    /**
     * Surefire and Failsafe before 2.22 run no JUnit 5 test: the build would pass with {@code Tests run: 0} and a
     * report of nothing (Maven 3.8's default Surefire is 2.12.4). Said here, before the tests run.
     */
    private void warnOfTooOldTestPlugins() {
        for (org.apache.maven.model.Plugin plugin : project.getBuildPlugins()) {
            String id = plugin.getArtifactId();
            if ((id.equals("maven-surefire-plugin") || id.equals("maven-failsafe-plugin")) && plugin.getVersion() != null
                    && olderThan(plugin.getVersion(), 2, 22)) {
                getLog().warn("dax-audit: " + id + " " + plugin.getVersion() + " runs no JUnit 5 test: the audit "
                        + "would see nothing; use 2.22 or later (3.x)");
            }
        }
    }

    /** Whether version {@code v} (major.minor...) is before {@code major.minor}. */
    static boolean olderThan(String v, int major, int minor) {
        String[] parts = v.split("[.-]");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma < major || ma == major && mi < minor;
        } catch (NumberFormatException e) {
            return false; // a property or a range: not ours to judge
        }
    }

    private static void add(Map<String, String> options, String key, String value) {
        if (value != null && !value.isBlank()) {
            options.put(key, value.trim());
        }
    }

    private void clearOldReports() throws MojoExecutionException {
        try {
            Files.createDirectories(reportDirectory.toPath());
            for (Path old : Reports.in(reportDirectory)) {
                Files.delete(old);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("dax-audit: cannot prepare " + reportDirectory + ": " + e.getMessage(), e);
        }
    }
}
