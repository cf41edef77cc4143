package dev.daxaudit.tools.cli;

import dev.daxaudit.tools.report.ReportDocument;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code java -jar dax-audit-agent.jar <command>}. Bad input (a missing file, corrupt JSON, an
 * unknown schema version, a bad option) gets one line on stderr and exit status 2; a stack trace only with
 * {@code --verbose}.
 */
@Command(name = "dax-audit", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Audits durability of writes through memory-mapped files. Run an application with "
                + "-javaagent:dax-audit-agent.jar[=options], then read its report with these commands.",
        subcommands = {ReportCommand.class, DiffCommand.class, CheckCommand.class, AttachCommand.class, DumpCommand.class,
            CrashTestCommand.class, CrashMergeCommand.class,
            OptionsCommand.class,
            CommandLine.HelpCommand.class})
public final class Cli {
    /** Exit status for bad input of any kind. */
    static final int BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit status. */
    public static int execute(String... args) {
        Cli cli = new Cli();
        CommandLine line = new CommandLine(cli);
        line.setParameterExceptionHandler((e, argv) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("dax-audit: " + e.getMessage() + " (see --help)");
            return BAD_INPUT;
        });
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            PrintWriter err = command.getErr();
            if (e instanceof ReportDocument.BadReportException || e instanceof CliException) {
                err.println("dax-audit: " + e.getMessage());
            } else {
                err.println("dax-audit: " + e);
            }
            if (cli.verbose) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        });
        return line.execute(args);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"dax-audit " + (v == null ? "(development build)" : v)};
        }
    }
}
