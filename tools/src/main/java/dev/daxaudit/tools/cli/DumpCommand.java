package dev.daxaudit.tools.cli;

import dev.daxaudit.core.AttachStatus;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dump <pid>}: write the report of an audited JVM now, without stopping it. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Write the JSON report of an audited JVM now, without stopping it. Exit status 0 only when the "
                + "report was written.")
final class DumpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<pid>")
    String pid;

    @Option(names = "--out", paramLabel = "F", description = "Where to write it (default dax-audit-dump-<pid>.json).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path file = (out != null ? out : Paths.get("dax-audit-dump-" + pid + ".json")).toAbsolutePath();
        String outcome = Attacher.dump(pid, file);
        if (!AttachStatus.ok(outcome)) {
            throw new CliException("process " + pid + ": " + AttachStatus.message(outcome));
        }
        System.out.println("dax-audit: report of process " + pid + " written to " + file);
        return 0;
    }
}
