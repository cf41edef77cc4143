package dev.daxaudit.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark on JDK 17 and JDK 25, each without and with the agent, in one run, and prints the ratio
 * audited/plain per benchmark and JDK. Memory-segment benchmarks run on JDK 22+ only. Usage: {@code java -jar dax-audit-benchmarks.jar [agent-jar] [forks]}.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String agentJar = args.length > 0 ? args[0] : "agent/target/dax-audit-agent.jar";
        int forks = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        if (!new File(agentJar).isFile()) {
            throw new IllegalArgumentException("agent jar not found: " + agentJar);
        }
        Path report = Files.createTempFile("dax-audit-bench-report", ".json");
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (int feature : new int[] {17, 25}) {
            Path java = findJdk(feature);
            if (java == null) {
                System.out.println("JDK " + feature + " not found under /usr/lib/jvm: skipped");
                continue;
            }
            for (boolean audited : new boolean[] {false, true}) {
                ChainedOptionsBuilder options = new OptionsBuilder()
                        .include(feature >= 22 ? "dev\\.daxaudit\\.benchmarks\\..*" : StoreBenchmark.class.getName())
                        .jvm(java.toString())
                        .forks(forks)
                        .warmupIterations(4).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(5).measurementTime(TimeValue.seconds(1));
                if (audited) {
                    options.jvmArgsAppend("-javaagent:" + new File(agentJar).getAbsolutePath() + "=report=" + report
                            + ",formats=json");
                }
                for (RunResult r : new Runner(options.build()).run()) {
                    String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
                    double[] pair = scores.computeIfAbsent("JDK " + feature + " " + name, k -> new double[2]);
                    pair[audited ? 1 : 0] = r.getPrimaryResult().getScore();
                }
            }
        }
        System.out.println();
        System.out.println("| JDK / benchmark | plain ns/op | with agent ns/op | ratio |");
        System.out.println("|---|---|---|---|");
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            double[] s = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2fx |%n", e.getKey(), s[0], s[1], s[1] / s[0]);
        }
        Files.deleteIfExists(report);
    }

    private static Path findJdk(int feature) throws IOException {
        Pattern version = Pattern.compile("JAVA_VERSION=\"(\\d+)");
        List<Path> found = new ArrayList<>();
        try (Stream<Path> homes = Files.list(Paths.get("/usr/lib/jvm"))) {
            for (Path home : (Iterable<Path>) homes::iterator) {
                Path release = home.resolve("release");
                if (Files.isRegularFile(release)) {
                    Matcher m = version.matcher(Files.readString(release));
                    if (m.find() && Integer.parseInt(m.group(1)) == feature && !Files.isSymbolicLink(home)) {
                        found.add(home.resolve("bin/java"));
                    }
                }
            }
        }
        return found.isEmpty() ? null : found.get(0);
    }
}
