package dev.daxaudit.tools.crash;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daxaudit.tools.report.HtmlReport;
import dev.daxaudit.tools.report.ReportDocument;
import dev.daxaudit.tools.report.SarifReport;
import dev.daxaudit.tools.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashStates.Enumerated;
import dev.daxaudit.tools.crash.CrashStates.State;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The crash-test loop: the application runs once under the agent with a crash journal; then every crash state of
 * every crash point is written into a directory of its own and checked by the user's recovery command (exit 0:
 * consistent, as pmreorder's checker); a consistent state's directory is deleted, a failing one kept.
 */
public final class CrashTest {
    /** Longest checker output kept per failing state. */
    private static final int OUTPUT_KEPT = 2000;

    private final Path agentJar;
    private final String agentOptions;
    private final StateCheck check;
    private final String strategy;
    private final boolean tornLines;
    private final int maxStates;
    private final int jobs;
    private final long timeoutSeconds;
    private final Path work;
    private final PrintStream out;
    /** The persistence model ({@code --persistence}), or null: the one of the files' filesystems. */
    private Persistence persistence;
    /** The directory tree crashed ({@code --root}), or null: the deepest directory of every audited file's names. */
    private Path root;
    /** The share of the distinct states this run checks ({@code --shard}). */
    private Shard shard = Shard.ALL;

    /**
     * How many failing states the console details: past it, one line says how many more there are; the causes after
     * them group every failing state, and the reports list each.
     */
    static final int DETAILED = 10;

    /** A state the checker rejected. */
    record Failure(State state, int exit, String output, Path dir) {
    }

    public CrashTest(Path agentJar, String agentOptions, StateCheck check, String strategy, boolean tornLines,
                     int maxStates, int jobs, long timeoutSeconds, Path work, PrintStream out) {
        this.agentJar = agentJar;
        this.agentOptions = agentOptions;
        this.check = check;
        CrashStates.parse(strategy); // a bad strategy is refused before the application runs
        this.strategy = strategy;
        this.tornLines = tornLines;
        this.maxStates = maxStates;
        this.jobs = jobs;
        this.timeoutSeconds = timeoutSeconds;
        this.work = work;
        this.out = out;
    }

    /** The persistence model of every state; null (the default): the model of the filesystem the files live on. */
    public CrashTest persistence(Persistence model) {
        this.persistence = model;
        return this;
    }

    /** The directory tree a state holds; null (the default): the deepest directory of the audited files' names. */
    public CrashTest root(Path tree) {
        this.root = tree == null ? null : tree.toAbsolutePath().normalize();
        return this;
    }

    /** Checks only the states of {@code share} (see {@link Shard}); its report says which shard it is. */
    public CrashTest shard(Shard share) {
        this.shard = share;
        return this;
    }

    /** Runs {@code command} (a java command line) and checks its crash states: 0 all consistent, 1 some failed. */
    public int run(List<String> command) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Files.createDirectories(work);
        try (Stream<Path> existing = Files.list(work)) {
            if (existing.findAny().isPresent()) {
                throw new IllegalArgumentException("--work " + work + " is not empty: crash-test writes a new run there");
            }
        }
        CrashRun.Recording run = CrashRun.record(agentJar, agentOptions, command, work,
                ProcessBuilder.Redirect.INHERIT, 0);
        int appExit = run.exitStatus();
        if (!run.journalled()) {
            throw new IllegalStateException("the application left no crash journal (is '" + command.get(0)
                    + "' a java command? exit status " + appExit + ")");
        }
        Path report = run.report();
        ReportDocument document = readReport(report);
        long errors = document == null ? 0 : document.root().path("agent").path("internalErrors").asLong();
        if (errors != 0) {
            throw new IllegalStateException("the agent counted " + errors + " internal error(s) while recording (see "
                    + report + "): the crash states would be incomplete");
        }
        Journal journal = run.read(persistence, root);
        Enumerated states = CrashRun.enumerate(journal, strategy, tornLines, maxStates, shard);
        Path tree = journal.root() != null ? journal.root() : work;
        List<Failure> failures = check(states.states(), journal, tree);
        double seconds = (System.nanoTime() - started) / 1e9;
        print(journal, states, failures, appExit, seconds);
        String crashReport = CrashReportJson.render(journal, states, failures, appExit, seconds, shard);
        Files.writeString(work.resolve("crash-report.json"), crashReport);
        if (document != null) {
            // The application's audit report with the crash states beside its findings, for people and for CI.
            JsonNode crash = new com.fasterxml.jackson.databind.ObjectMapper().readTree(crashReport);
            Files.writeString(work.resolve("report.html"), HtmlReport.render(document.report(), crash));
            Files.writeString(work.resolve("report.sarif"), SarifReport.render(document.report(), List.of(), crash));
        }
        if (appExit != 0 && failures.isEmpty()) {
            // A gate must not pass on a run that failed: its crash points stop where it did (as @CrashTest fails).
            out.println("the application exited " + appExit + ", not 0: only the crash points before its failure "
                    + "were checked");
            return 3;
        }
        return failures.isEmpty() ? 0 : 1;
    }

    /** The application's report, or null when its JVM died before writing it (the journal stands up to then). */
    private static ReportDocument readReport(Path report) {
        if (!Files.exists(report)) {
            return null;
        }
        try {
            return ReportDocument.read(report);
        } catch (ReportDocument.BadReportException e) {
            throw new IllegalStateException("the application's report is unreadable: " + e.getMessage());
        }
    }

    private List<Failure> check(List<State> states, Journal journal, Path root) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        List<Future<Failure>> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("crash states").setInitialMax(states.size());
        if (interactive()) {
            bar.setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate();
        } else {
            // A log, not a terminal: plain lines, no escape sequences, one every 10 s at most.
            bar.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(10_000)
                    .setConsumer(new DelegatingProgressBarConsumer(System.err::println));
        }
        try (ProgressBar progress = bar.build()) {
            for (State state : states) {
                results.add(pool.submit(() -> {
                    Failure f = checkOne(state, journal, root);
                    progress.step();
                    return f;
                }));
            }
            pool.shutdown();
            for (Future<Failure> r : results) {
                try {
                    Failure f = r.get();
                    if (f != null) {
                        failures.add(f);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a crash state could not be written: " + e.getCause(), e.getCause());
                }
            }
        }
        failures.sort(Comparator.comparingInt(f -> f.state().index()));
        return failures;
    }

    /** Whether stderr is a terminal (on JDK 22+ a console exists without one; isTerminal tells). */
    private static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console exists only on a terminal
        }
    }

    private Failure checkOne(State state, Journal journal, Path root) throws IOException, InterruptedException {
        Path dir = work.resolve("state-" + state.index());
        CrashImage.write(state, journal, root, dir);
        Path output = work.resolve("state-" + state.index() + ".out");
        int exit = check.check(dir, output, timeoutSeconds);
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        if (exit == 0) {
            CrashImage.delete(dir);
            return null;
        }
        return new Failure(state, exit, exit == -1 ? "(no answer in " + timeoutSeconds + " s)\n" + text
                : text.length() > OUTPUT_KEPT ? text.substring(0, OUTPUT_KEPT) + "..." : text, dir);
    }

    void print(Journal journal, Enumerated states, List<Failure> failures, int appExit, double seconds) {
        out.printf(Locale.ROOT, "dax-audit crash-test: %d crash point(s), %d state(s) (%d distinct, %d checked%s), "
                        + "%d failed, %.1f s; application exit status %d%s%n", journal.points().size(),
                states.yielded(), states.distinct(), states.states().size(),
                states.capped() ? ", capped by --max-states" : "", failures.size(), seconds, appExit,
                journal.complete() ? "" : "; the journal ends early (the JVM did not exit normally)");
        if (!shard.isAll()) {
            out.println("shard " + shard.index() + " of " + shard.of() + ": the distinct states numbered "
                    + shard.index() + ", " + (shard.index() + shard.of()) + "...; crash-merge joins the shards' reports");
        }
        out.println("persistence model " + journal.persistence().label() + (journal.persistenceChosen()
                ? " (--persistence)" : " (from the filesystem of the files; --persistence overrides)"));
        for (Failure f : failures.subList(0, Math.min(DETAILED, failures.size()))) {
            out.println("FAILED state " + f.state().index() + " at crash point " + (f.state().point().index() + 1)
                    + ": " + f.state().point().describe());
            for (DirtyPage p : f.state().persistedPages()) {
                out.println("  persisted:     " + CrashRun.page(journal, p) + " (stored at " + p.site() + ")");
            }
            for (DirtyPage p : f.state().lostPages()) {
                out.println("  not persisted: " + CrashRun.page(journal, p) + " (stored at " + p.site() + ")");
            }
            for (CrashJournalReader.NamespaceOp op : f.state().lostOps()) {
                out.println("  not persisted: " + op.describe());
            }
            for (CrashRun.LostSize size : CrashRun.lostSizes(journal, f.state())) {
                out.println("  not persisted: " + size.describe(journal));
            }
            String torn = CrashRun.torn(journal, f.state());
            if (torn != null) {
                out.println("  torn:          " + torn);
            }
            out.println("  checker exit " + f.exit() + ": " + f.output().strip().replace("\n", "\n    "));
            out.println("  remedy:        " + CrashRun.remedy(journal, f.state()));
            out.println("  files kept in " + f.dir());
        }
        if (failures.size() > DETAILED) {
            out.println("... and " + (failures.size() - DETAILED) + " more failing state(s), each in "
                    + work.resolve("crash-report.json").getFileName() + " and report.html, their files kept in "
                    + work);
        }
        if (!failures.isEmpty()) {
            List<FailureCauses.Cause> causes = FailureCauses.of(journal, failures);
            out.println(causes.size() + " cause(s) of " + failures.size() + " failing state(s), by what each lost "
                    + "first:");
            for (FailureCauses.Cause c : causes) {
                out.println("  " + c.description() + ": " + c.statesText());
            }
        }
        out.println("report: " + work.resolve("crash-report.json") + " (and report.html, report.sarif beside it)");
    }
}
