package dev.daxaudit.benchmarks;

import dev.daxaudit.core.AgentOptions;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs every benchmark on JDK 17 and JDK 25, each without and with the agent in the same run, and prints one
 * table: the two scores, their ratio, and the target beside it. Memory-segment benchmarks run on JDK 22+ only;
 * start-up runs once per JDK, comparing no agent, JaCoCo's and dax-audit's in forked JVMs.
 */
@Command(name = "dax-audit-benchmarks", mixinStandardHelpOptions = true,
        description = "JMH benchmarks of dax-audit: each workload without and with the agent, as ratios.")
public final class BenchmarkMain implements Callable<Integer> {
    @Option(names = "--agent", description = "the agent jar (default: ${DEFAULT-VALUE})")
    Path agentJar = Paths.get("agent/target/dax-audit-agent.jar");

    @Option(names = "--jacoco", description = "JaCoCo's agent jar, the start-up reference (default: ${DEFAULT-VALUE})")
    Path jacocoJar = Paths.get("benchmarks/target/tools/jacocoagent.jar");

    @Option(names = "--forks", description = "JMH forks per benchmark and configuration (default: ${DEFAULT-VALUE})")
    int forks = 2;

    @Option(names = "--jdks", split = ",", description = "JDK feature versions to run on (default: 17,25)")
    List<Integer> jdks = List.of(17, 25);

    @Option(names = "--include", description = "a regular expression of benchmark names to run (default: all)")
    String include = ".*";

    /**
     * The tracker measured unless {@code --agent-options} names one: the store hooks, whose costs the README's main
     * table shows (the agent's own default, {@code auto}, runs the kernel tracker on JDK 22+).
     */
    static final String TRACKING = "bytecode";

    @Option(names = "--agent-options", description = "extra agent options, e.g. tracking=kernel (default "
            + "tracking=" + TRACKING + ")")
    String agentOptions = "";

    private final Map<String, Row> rows = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkMain()).execute(args));
    }

    @Override
    public Integer call() throws RunnerException, IOException {
        for (Path jar : List.of(agentJar, jacocoJar)) {
            if (!Files.isRegularFile(jar)) {
                System.err.println("dax-audit-benchmarks: no such jar " + jar + " (build first: mvn -B -DskipTests package)");
                return 2;
            }
        }
        Path report = Files.createTempFile("dax-audit-bench-report", ".json");
        for (int feature : jdks) {
            Path java = findJdk(feature);
            if (java == null) {
                System.out.println("JDK " + feature + " not found under /usr/lib/jvm: skipped");
                continue;
            }
            for (boolean audited : new boolean[] {false, true}) {
                ChainedOptionsBuilder options = common(java)
                        .include(include(feature))
                        .exclude(StartupBenchmark.class.getSimpleName());
                if (audited) {
                    options.jvmArgsAppend(AgentOptions.javaagent(agentJar, AgentOptions.render(
                            Map.of("report", report.toString(), "formats", "json", "tracking", TRACKING), agentOptions)));
                }
                run(options, feature, audited);
            }
            if (selects(StartupBenchmark.class.getSimpleName()) || selects("startJvm")) {
                startup(java, feature);
            }
            if (selects("Crash")) {
                crash(java, feature);
            }
            if (selects("SparseCrash")) {
                sparse(java, feature);
            }
            if (selects("ManyMappings")) {
                for (int mappings : new int[] {20_000, 100_000}) {
                    manyMappings(java, feature, mappings);
                }
            }
        }
        if (selects("ScaleReport")) {
            reportScale();
        }
        print();
        Files.deleteIfExists(report);
        return 0;
    }

    /** Whether --include selects a measurement of this name (as JMH does with benchmark names: a find). */
    private boolean selects(String name) {
        return Pattern.compile(include).matcher(name).find();
    }

    private ChainedOptionsBuilder common(Path java) {
        return new OptionsBuilder()
                .jvm(java.toString())
                .addProfiler(org.openjdk.jmh.profile.GCProfiler.class)
                .forks(forks)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1));
    }

    private String include(int feature) {
        String onThisJdk = feature >= 22 ? "dev\\.daxaudit\\.benchmarks\\..*"
                : "dev\\.daxaudit\\.benchmarks\\.(?!Segment).*";
        return onThisJdk + "(" + include + ").*";
    }

    private void run(ChainedOptionsBuilder options, int feature, boolean audited) throws RunnerException {
        java.util.Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (org.openjdk.jmh.runner.NoBenchmarksException e) {
            return; // --include names only the start-up, crash or report measurements, which run apart
        }
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            for (String key : r.getParams().getParamsKeys()) {
                name += " " + key + "=" + r.getParams().getParam(key);
            }
            Row row = rows.computeIfAbsent("JDK " + feature + " " + name, k -> new Row());
            row.unit = r.getPrimaryResult().getScoreUnit();
            row.target = Target.of(name);
            row.score[audited ? 1 : 0] = r.getPrimaryResult().getScore();
            if (name.startsWith("sparse")) {
                // What the JVM allocated per cycle: with the agent, the engine's memory for the mapping.
                org.openjdk.jmh.results.Result<?> allocated = r.getSecondaryResults().get("·gc.alloc.rate.norm");
                if (allocated == null) {
                    allocated = r.getSecondaryResults().get("gc.alloc.rate.norm");
                }
                Row bytes = rows.computeIfAbsent("JDK " + feature + " " + name + ": bytes allocated per cycle",
                        k -> new Row());
                bytes.unit = "B";
                bytes.target = "≤ 1 B per 4 KiB page mapped";
                bytes.score[audited ? 1 : 0] = allocated == null ? Double.NaN : allocated.getScore();
            }
        }
    }

    /**
     * The cost of {@code crash=}: {@code force()} of N dirty pages with the journal on (each page made durable is
     * read back and journalled) against the same force without the agent; and {@code crash-test}'s time per crash
     * state (written into a directory, checked by a trivial command, deleted), over {@link CrashWorkload}'s 64.
     */
    private void crash(Path java, int feature) throws RunnerException, IOException {
        Path journal = Files.createTempFile("dax-audit-bench", ".journal");
        ChainedOptionsBuilder options = common(java)
                .include(ForceBenchmark.class.getName())
                .jvmArgsAppend(AgentOptions.javaagent(agentJar, AgentOptions.render(Map.of("formats", "json",
                        "crash", journal.toString(), "report", journal + ".json"), null)));
        for (RunResult r : new Runner(options.build()).run()) {
            String name = "force dirtyPages=" + r.getParams().getParam("dirtyPages");
            Row plain = rows.get("JDK " + feature + " " + name);
            Row row = rows.computeIfAbsent("JDK " + feature + " " + name + ", crash=on", k -> new Row());
            row.unit = r.getPrimaryResult().getScoreUnit();
            row.target = "";
            row.score[0] = plain == null ? Double.NaN : plain.score[0];
            row.score[1] = r.getPrimaryResult().getScore();
        }
        Files.deleteIfExists(journal);
        String classPath = System.getProperty("java.class.path");
        perState(java, feature, "checked by a command (test -d)", List.of("--check", "test -d {dir}"));
        perState(java, feature, "checked by a Java class in a JVM per state (java -cp ... TrivialCheck {dir})",
                List.of("--check", java + " -cp " + classPath + " " + TrivialCheck.class.getName() + " {dir}"));
        perState(java, feature, "checked by the same class warm (--check-class TrivialCheck)",
                List.of("--check-class", TrivialCheck.class.getName()));
        perState(java, feature, "checked by a log's recovery warm (--check-class LogRecoveryCheck: maps the log, "
                + "reads every record)", List.of("--check-class", LogRecoveryCheck.class.getName()));
        checkerMemory(java, feature);
    }

    /**
     * The checker JVMs' resident memory over 1,000 states ({@link CrashWorkload} with 999 pending pages, checked by
     * {@code --check-class TrivialCheck}), sampled from /proc every 20 ms while crash-test runs: each checker JVM's
     * at its last sample, and the time per state. A checker JVM takes 200 states and is replaced, so the last JVM
     * ending where the first ended is what "no growth" means over a run.
     */
    private void checkerMemory(Path java, int feature) throws IOException {
        Map<Long, long[]> firstAndLast = new java.util.TreeMap<>(); // pid -> {first kB, last kB, peak kB}
        CrashTestRun run = crashTest(java, List.of("--max-states", "1000", "--check-class",
                TrivialCheck.class.getName()), "999", () -> sampleCheckers(firstAndLast));
        if (run == null) {
            return;
        }
        Row rate = rows.computeIfAbsent("JDK " + feature + " crash-test, per crash state checked by TrivialCheck warm ("
                + run.states + " states, one run incl. the application run)", k -> new Row());
        rate.unit = "ms";
        rate.target = "";
        rate.score[0] = Double.NaN;
        rate.score[1] = run.seconds * 1000 / Math.max(1, run.states);
        int n = 0;
        for (long[] kb : firstAndLast.values()) {
            n++;
            Row row = rows.computeIfAbsent("JDK " + feature + " crash-test checker JVM " + n + " of "
                    + firstAndLast.size() + " over those " + run.states + " states: resident set at its last sample "
                    + "(peak " + kb[2] / 1024 + " MB)", k -> new Row());
            row.unit = "MB";
            row.target = "";
            row.score[0] = Double.NaN;
            row.score[1] = kb[1] / 1024.0;
        }
    }

    /** One crash-test run's wall time, application included, and the states it checked. */
    private record CrashTestRun(double seconds, long states) {
    }

    /**
     * Runs crash-test with {@code options} over {@link CrashWorkload} ({@code pending} pending pages, or its default
     * when null) in directories of its own, deleted after; {@code during} runs every 20 ms while it does. Null when
     * interrupted.
     */
    private CrashTestRun crashTest(Path java, List<String> options, String pending, Runnable during)
            throws IOException {
        Path work = Files.createTempDirectory("dax-audit-bench-crash");
        Path app = Files.createTempDirectory("dax-audit-bench-app");
        Path out = work.resolveSibling(work.getFileName() + ".out");
        try {
            CrashWorkload.preallocate(app);
            List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-jar",
                    agentJar.toAbsolutePath().toString(), "crash-test", "--work", work.toString()));
            command.addAll(options);
            command.addAll(List.of("--", java.toString(), "-cp", System.getProperty("java.class.path"),
                    CrashWorkload.class.getName(), app.toString()));
            if (pending != null) {
                command.add(pending);
            }
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            while (p.isAlive()) {
                if (during != null) {
                    during.run();
                }
                p.waitFor(20, TimeUnit.MILLISECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Matcher m = Pattern.compile("\"checked\" : (\\d+)").matcher(Files.readString(work.resolve(
                    "crash-report.json")));
            return new CrashTestRun(seconds, m.find() ? Long.parseLong(m.group(1)) : 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            for (Path dir : List.of(work, app, out)) {
                delete(dir);
            }
        }
    }

    /** Each running checker JVM's resident set now (VmRSS, kB), into {@code firstAndLast}. */
    private static void sampleCheckers(Map<Long, long[]> firstAndLast) {
        ProcessHandle.allProcesses().forEach(h -> {
            String line = h.info().commandLine().orElse("");
            if (!line.contains("CheckerMain")) {
                return;
            }
            try {
                for (String status : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
                    if (status.startsWith("VmRSS:")) {
                        long kb = Long.parseLong(status.replaceAll("[^0-9]", ""));
                        long[] seen = firstAndLast.computeIfAbsent(h.pid(), k -> new long[] {kb, kb, kb});
                        seen[1] = kb;
                        seen[2] = Math.max(seen[2], kb);
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the JVM ended between the listing and the read
            }
        });
    }

    /** crash-test's time per crash state over {@link CrashWorkload}'s 64, the states checked as {@code check} says. */
    private void perState(Path java, int feature, String how, List<String> check) throws IOException {
        double best = Double.MAX_VALUE;
        long states = 0;
        for (int run = 0; run < 3 * forks; run++) {
            CrashTestRun r = crashTest(java, check, null, null);
            if (r == null) {
                return;
            }
            states = r.states;
            best = Math.min(best, r.seconds);
        }
        Row perState = rows.computeIfAbsent("JDK " + feature + " crash-test, per crash state " + how + " (" + states
                + " states, best of " + 3 * forks + " runs incl. the application run)", k -> new Row());
        perState.unit = "ms";
        perState.target = "";
        perState.score[0] = Double.NaN;
        perState.score[1] = best * 1000 / Math.max(1, states);
    }

    /**
     * A run costs what the file holds ({@link SparseCrashWorkload}: a 10 GiB sparse segment, 16 records forced):
     * the application alone against the whole {@code crash-test} run (the application under {@code crash=}, then
     * every state written, checked by {@code test -d}, deleted), best of three each; and the journal's size on disk.
     */
    private void sparse(Path java, int feature) throws IOException {
        double alone = Double.MAX_VALUE;
        double crashTest = Double.MAX_VALUE;
        long journalBytes = 0;
        for (int run = 0; run < 3; run++) {
            for (boolean audited : new boolean[] {false, true}) {
                Path work = Files.createTempDirectory("dax-audit-bench-sparse");
                Path app = Files.createTempDirectory("dax-audit-bench-sparse-app");
                SparseCrashWorkload.preallocate(app); // by an earlier run: one created in the run is copied empty
                List<String> application = List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                        SparseCrashWorkload.class.getName(), app.toString());
                List<String> command = new java.util.ArrayList<>();
                if (audited) {
                    command.addAll(List.of(java.toString(), "-jar", agentJar.toAbsolutePath().toString(),
                            "crash-test", "--work", work.toString(), "--check", "test -d {dir}", "--"));
                }
                command.addAll(application);
                Path out = work.resolveSibling(work.getFileName() + ".out");
                long start = System.nanoTime();
                int exit = waitFor(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                        .start());
                double seconds = (System.nanoTime() - start) / 1e9;
                if (exit != 0) {
                    System.err.println("dax-audit-benchmarks: the sparse crash-test run failed (" + exit + "): "
                            + Files.readString(out));
                    return;
                }
                if (audited) {
                    crashTest = Math.min(crashTest, seconds);
                    journalBytes = allocatedBytes(work);
                } else {
                    alone = Math.min(alone, seconds);
                }
                for (Path dir : List.of(work, app, out)) {
                    delete(dir);
                }
            }
        }
        Row time = rows.computeIfAbsent("JDK " + feature + " crash-test of a " + SparseCrashWorkload.GIB
                + " GiB sparse segment, " + SparseCrashWorkload.RECORDS + " records forced (whole run against the "
                + "application alone, best of 3)", k -> new Row());
        time.unit = "s";
        time.target = "";
        time.score[0] = alone;
        time.score[1] = crashTest;
        Row disk = rows.computeIfAbsent("JDK " + feature + " its journal and copies on disk", k -> new Row());
        disk.unit = "B";
        disk.target = "";
        disk.score[1] = journalBytes;
    }

    /**
     * {@code mappings} live mappings in a 256 MiB heap ({@link ManyMappingsWorkload}), once without the agent and
     * once with it (the report written as JSON): the whole run's time and the process's peak resident memory
     * ({@code VmHWM}, read until it exits), and per mapping what the agent adds. The application must exit as it does
     * alone and the report must be written, else the row says it failed.
     */
    private void manyMappings(Path java, int feature, int mappings) throws IOException {
        // One read at offset 0: a sysctl read at a later offset is empty, and readString reads the first byte alone.
        long limit = Long.parseLong(Files.readAllLines(Paths.get("/proc/sys/vm/max_map_count")).get(0).trim());
        if (limit < mappings + 10_000L) {
            System.out.println("JDK " + feature + " " + mappings + " mappings: skipped, vm.max_map_count is " + limit
                    + " (as root: sysctl -w vm.max_map_count=262144)");
            return;
        }
        double[] seconds = new double[2];
        double[] peakKb = new double[2];
        int[] exits = new int[2];
        Path report = Files.createTempFile("dax-audit-bench-mappings", ".json");
        for (int audited = 0; audited < 2; audited++) {
            Path app = Files.createTempDirectory("dax-audit-bench-mappings");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m"));
            if (audited == 1) {
                Files.deleteIfExists(report);
                command.add(AgentOptions.javaagent(agentJar, AgentOptions.render(
                        Map.of("report", report.toString(), "formats", "json", "tracking", TRACKING), agentOptions)));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    ManyMappingsWorkload.class.getName(), app.toString(), Integer.toString(mappings)));
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Path status = Paths.get("/proc", Long.toString(p.pid()), "status");
            long peak = 0;
            while (p.isAlive()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) {
                            peak = Math.max(peak, Long.parseLong(line.replaceAll("\\D", "")));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // gone between the check and the read
                }
                try {
                    p.waitFor(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            seconds[audited] = (System.nanoTime() - start) / 1e9;
            peakKb[audited] = peak;
            exits[audited] = p.exitValue();
            delete(app);
        }
        boolean written = Files.exists(report) && Files.size(report) > 0;
        long reportBytes = written ? Files.size(report) : 0;
        Files.deleteIfExists(report);
        String name = "JDK " + feature + " " + String.format("%,d", mappings) + " live mappings, -Xmx256m";
        if (exits[0] != exits[1] || !written) {
            System.out.println(name + ": FAILED (exit " + exits[0] + " alone, " + exits[1] + " with the agent; report "
                    + (written ? "written" : "not written") + ")");
            return;
        }
        Row time = rows.computeIfAbsent(name + ": the whole run (exit status unchanged, report written)",
                k -> new Row());
        time.unit = "s";
        time.target = "";
        time.score[0] = seconds[0];
        time.score[1] = seconds[1];
        Row memory = rows.computeIfAbsent(name + ": peak resident memory", k -> new Row());
        memory.unit = "MB";
        memory.target = "";
        memory.score[0] = peakKb[0] / 1024;
        memory.score[1] = peakKb[1] / 1024;
        Row timePer = rows.computeIfAbsent(name + ": time the agent adds per mapping", k -> new Row());
        timePer.unit = "µs";
        timePer.target = "";
        timePer.score[1] = (seconds[1] - seconds[0]) * 1e6 / mappings;
        Row memoryPer = rows.computeIfAbsent(name + ": resident memory the agent adds per mapping", k -> new Row());
        memoryPer.unit = "KB";
        memoryPer.target = "";
        memoryPer.score[1] = (peakKb[1] - peakKb[0]) / mappings;
        Row size = rows.computeIfAbsent(name + ": the JSON report", k -> new Row());
        size.unit = "MB";
        size.target = "";
        size.score[1] = reportBytes / 1e6;
    }

    /** Deletes a file or a tree (crash-test's work, the application's directory). */
    private static void delete(Path tree) throws IOException {
        if (Files.exists(tree)) {
            try (java.util.stream.Stream<Path> paths = Files.walk(tree)) {
                for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    private static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Bytes allocated on disk by the files under {@code dir} (du), holes not counted. */
    private static long allocatedBytes(Path dir) throws IOException {
        Process du = new ProcessBuilder("du", "-s", "-B1", dir.toString()).start();
        String out = new String(du.getInputStream().readAllBytes()).trim();
        waitFor(du);
        return Long.parseLong(out.split("\\s+")[0]);
    }

    /** The report with 10,000 files, each with a finding: built and written in this JVM (see {@link ReportScale}). */
    private void reportScale() {
        try {
            double[] measured = ReportScale.measure();
            String jdk = "JDK " + Runtime.version().feature() + " ";
            Row time = rows.computeIfAbsent(jdk + "report of " + ReportScale.FILES + " files with a finding each, "
                    + "built and written as JSON (best of 5)", k -> new Row());
            time.unit = "ms";
            time.target = "";
            time.score[1] = measured[0];
            Row size = rows.computeIfAbsent(jdk + "its size", k -> new Row());
            size.unit = "B";
            size.target = "";
            size.score[1] = measured[1];
        } catch (Exception e) {
            System.err.println("dax-audit-benchmarks: the report at scale failed: " + e);
        }
    }

    /** One run per JDK: the three agents are a parameter of the same benchmark, so they share one run. */
    private void startup(Path java, int feature) throws RunnerException {
        ChainedOptionsBuilder options = common(java)
                .include(StartupBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3).measurementIterations(10 * forks)
                .jvmArgsAppend("-D" + StartupBenchmark.DAX_AUDIT_JAR + "=" + agentJar.toAbsolutePath(),
                        "-D" + StartupBenchmark.JACOCO_JAR + "=" + jacocoJar.toAbsolutePath(),
                        "-D" + StartupBenchmark.AGENT_OPTIONS + "=" + agentOptions);
        Map<String, Double> byAgent = new LinkedHashMap<>();
        for (RunResult r : new Runner(options.build()).run()) {
            byAgent.put(r.getParams().getParam("agent"), r.getPrimaryResult().getScore());
        }
        Row jacoco = rows.computeIfAbsent("JDK " + feature + " startJvm: JaCoCo's agent / dax-audit's", k -> new Row());
        jacoco.unit = "ms";
        jacoco.target = "1.00x (≤ JaCoCo)";
        jacoco.score[0] = byAgent.getOrDefault("jacoco", Double.NaN);
        jacoco.score[1] = byAgent.getOrDefault("dax-audit", Double.NaN);
        Row none = rows.computeIfAbsent("JDK " + feature + " startJvm: no agent / dax-audit's", k -> new Row());
        none.unit = "ms";
        none.target = "";
        none.score[0] = byAgent.getOrDefault("none", Double.NaN);
        none.score[1] = byAgent.getOrDefault("dax-audit", Double.NaN);
    }

    private void print() {
        System.out.println();
        System.out.println("| JDK / benchmark | unit | without agent | with agent | ratio | target |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            String ratio = Double.isNaN(r.score[0]) ? "" : String.format(Locale.ROOT, "%.2fx", r.score[1] / r.score[0]);
            if (e.getKey().contains("bytes allocated")) {
                ratio += String.format(Locale.ROOT, " (+%.2f B per mapped page)",
                        (r.score[1] - r.score[0]) / (SparseSegmentBenchmarkSize.BYTES / 4096.0));
            }
            if (e.getKey().contains("firstStoreToCleanPage")) {
                ratio += String.format(Locale.ROOT, " (+%.2f µs/page)", (r.score[1] - r.score[0]) / 1000);
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %s | %s |%n", e.getKey(), r.unit, r.score[0],
                    r.score[1], ratio, r.target);
        }
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
        found.sort(null);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The sparse benchmark's mapping size; its class is compiled for JDK 25 only, so the number is kept here. */
    private static final class SparseSegmentBenchmarkSize {
        static final long BYTES = 1L << 40;
    }

    private static final class Row {
        final double[] score = {Double.NaN, Double.NaN};
        String unit;
        String target;
    }

    /** The targets of the performance issue, as ratios audited/plain in one run. */
    private static final class Target {
        static String of(String benchmark) {
            if (benchmark.startsWith("mapped") && !benchmark.contains("Bulk") && !benchmark.contains("Copy")) {
                return "1.50x";
            }
            if (benchmark.startsWith("direct") || benchmark.startsWith("native")) {
                return "1.05x";
            }
            if (benchmark.startsWith("force")) {
                return "1.20x";
            }
            if (benchmark.startsWith("appendSegments")) {
                return "1.10x";
            }
            if (benchmark.startsWith("firstStoreToCleanPage")) {
                return "+2 µs/page";
            }
            return "";
        }
    }
}
