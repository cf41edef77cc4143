package dev.daxaudit.agent.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dump <pid>}: write the report of an audited JVM now, without stopping it. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Write the JSON report of an audited JVM now, without stopping it.")
final class DumpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<pid>")
    String pid;

    @Option(names = "--out", paramLabel = "F", description = "Where to write it (default dax-audit-dump-<pid>.json).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path file = (out != null ? out : Paths.get("dax-audit-dump-" + pid + ".json")).toAbsolutePath();
        Files.deleteIfExists(file);
        Attacher.load(pid, "dump=" + file);
        if (!Files.exists(file)) {
            throw new CliException("process " + pid + " is not being audited by dax-audit (run attach first)");
        }
        System.out.println("dax-audit: report of process " + pid + " written to " + file);
        return 0;
    }
}
