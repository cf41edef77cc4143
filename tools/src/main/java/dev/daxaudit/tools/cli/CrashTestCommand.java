package dev.daxaudit.tools.cli;

import dev.daxaudit.tools.crash.CrashTest;
import dev.daxaudit.tools.crash.ShellCheck;
import dev.daxaudit.tools.crash.StateCheck;
import dev.daxaudit.tools.crash.WarmJavaCheck;
import dev.daxaudit.tools.crash.CrashImage;
import dev.daxaudit.tools.crash.Persistence;
import dev.daxaudit.tools.crash.Shard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crash-test --check '<command with {dir}>' -- <java command line>}: what the files look like after a crash
 * at each force, fsync, unmap, close, truncate, marked point and exit, each state checked by the user's recovery
 * code. Exit status 0: every state consistent; 1: some state failed; 2: bad input.
 */
@Command(name = "crash-test", mixinStandardHelpOptions = true,
        description = "Run a Java application under the agent, then check every crash state of its audited files "
                + "with a recovery command (exit 0: consistent). Exit status 0: all consistent; 1: some state "
                + "failed; 2: bad input.")
final class CrashTestCommand implements Callable<Integer> {
    @Option(names = "--check", paramLabel = "<command>",
            description = "the recovery check, run by sh with {dir} replaced by the state's directory")
    String check;

    @Option(names = "--check-class", paramLabel = "<class>",
            description = "instead of --check: a class whose main(String[]) gets the state's directory (returns: "
                    + "consistent; throws or exits non-zero: not), run in checker JVMs that take state after state")
    String checkClass;

    @Option(names = "--check-classpath", paramLabel = "<path>",
            description = "where --check-class and what it needs are (default: the application's -cp, --class-path "
                    + "or -jar)")
    String checkClasspath;

    @Option(names = "--strategy", defaultValue = "prefix",
            description = "prefix, reverse, random:N or full[:K] (default: ${DEFAULT-VALUE})")
    String strategy;

    @Option(names = "--torn-lines", description = "also states where a pending page persisted only some of its "
            + "changed 64-byte cache lines, as on DAX (persistent memory written back line by line)")
    boolean tornLines;

    @Option(names = "--agent-options", paramLabel = "<options>", defaultValue = "",
            description = "more agent options for the application's run, such as tracking=kernel")
    String agentOptions;

    @Option(names = "--max-states", defaultValue = "1000", description = "states checked at most (default: ${DEFAULT-VALUE})")
    int maxStates;

    @Option(names = "--jobs", defaultValue = "1", description = "checks run at once (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--timeout", defaultValue = "60", description = "seconds per check (default: ${DEFAULT-VALUE})")
    long timeout;

    @Option(names = "--work", paramLabel = "<dir>",
            description = "where the journal, failing states and crash-report.json go (default: a new temporary directory)")
    Path work;

    @Option(names = "--persistence", paramLabel = "<model>",
            description = "posix, ext4 or ext4-nojournal: when creates, renames and unlinks persist (default: ext4 "
                    + "when every audited file is on a journaled ext4, ext4-nojournal on one without, else posix)")
    String persistence;

    @Option(names = "--root", paramLabel = "<dir>",
            description = "the directory tree each state holds (default: the deepest directory of every name an "
                    + "audited file had)")
    Path root;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "check only the K-th of N shares of the distinct states (the same enumeration on every "
                    + "machine); crash-merge joins the N reports")
    String shard;

    @Parameters(arity = "1..*", paramLabel = "<java command line>", description = "after --: java and its arguments")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        if (maxStates < 1 || jobs < 1 || timeout < 1) {
            throw new CliException("--max-states, --jobs and --timeout must be at least 1");
        }
        Persistence model = parsed(() -> persistence == null ? null : Persistence.parse(persistence));
        Shard share = parsed(() -> shard == null ? Shard.ALL : Shard.parse(shard));
        if ((check == null) == (checkClass == null)) {
            throw new CliException("give the recovery check as --check <command> or --check-class <class>, one of them");
        }
        Path agentJar = Paths.get(CrashTestCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        StateCheck stateCheck = parsed(() -> check != null ? new ShellCheck(check)
                : new WarmJavaCheck(command.get(0), agentJar, checkClass, checkClasspath()));
        Path dir = work != null ? work : Files.createTempDirectory("dax-audit-crash-");
        try (stateCheck) {
            int status = new CrashTest(agentJar, agentOptions, stateCheck, strategy, tornLines, maxStates, jobs, timeout,
                    dir, System.out).persistence(model).root(root).shard(share).run(command);
            if (status == 0 && work == null) {
                // Nothing failed and nobody asked to keep the run: no leftover in the temporary directory.
                CrashImage.delete(dir);
                System.out.println("every state consistent: " + dir + " removed (--work keeps a run)");
            }
            return status;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** --check-classpath, or the class path of the application's command line. */
    private String checkClasspath() {
        if (checkClasspath != null) {
            return checkClasspath;
        }
        for (int i = 1; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg.startsWith("--class-path=")) {
                return arg.substring("--class-path=".length());
            }
            if (i + 1 < command.size() && List.of("-cp", "-classpath", "--class-path", "-jar").contains(arg)) {
                return command.get(i + 1);
            }
        }
        throw new IllegalArgumentException("--check-class needs --check-classpath: the application's command line "
                + "names no class path");
    }

    /** What {@code parse} makes of an option, a bad value's {@link IllegalArgumentException} the one-line error. */
    private static <T> T parsed(Supplier<T> parse) throws CliException {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
