package dev.daxaudit.benchmarks;

import dev.daxaudit.core.AgentOptions;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Agent start-up, as every forked test JVM of a user's suite pays it: the wall time of a JVM running
 * {@link TrivialMain}, with no agent, with JaCoCo's agent (the reference: what users already accept), and with
 * dax-audit's. Run on the JDK that runs the benchmark; the agent jars come from system properties that
 * {@link BenchmarkMain} sets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StartupBenchmark {
    static final String DAX_AUDIT_JAR = "dax.agent.jar";
    static final String JACOCO_JAR = "dax.jacoco.jar";
    /** The benchmarks' {@code --agent-options}, which the measured agent gets too. */
    static final String AGENT_OPTIONS = "dax.agent.options";

    @Param({"none", "jacoco", "dax-audit"})
    public String agent;

    private List<String> command;
    private File output;

    @Setup
    public void setUp() throws IOException {
        output = File.createTempFile("dax-audit-startup", ".out");
        output.deleteOnExit();
        command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        switch (agent) {
            case "jacoco" -> command.add("-javaagent:" + System.getProperty(JACOCO_JAR) + "=destfile="
                    + output.getPath() + ".exec");
            case "dax-audit" -> command.add(AgentOptions.javaagent(Path.of(System.getProperty(DAX_AUDIT_JAR)),
                    AgentOptions.render(Map.of("report", output.getPath() + ".json", "tracking",
                            BenchmarkMain.TRACKING), System.getProperty(AGENT_OPTIONS, ""))));
            default -> { }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrivialMain.class.getName());
    }

    @Benchmark
    public int startJvm() throws IOException, InterruptedException {
        int status = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start().waitFor();
        if (status != 0) {
            throw new IllegalStateException(command + " exited with " + status);
        }
        return status;
    }
}
