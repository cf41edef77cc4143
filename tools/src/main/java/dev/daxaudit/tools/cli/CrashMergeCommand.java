package dev.daxaudit.tools.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.daxaudit.tools.crash.CrashReportMerge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crash-merge --out <file> <shard reports>}: the crash reports of a run's N shards ({@code crash-test --shard
 * K/N}, one per machine or CI job) joined into one, as if the run had not been sharded. Exit status 0: every state
 * consistent; 1: some state failed; 2: a shard missing or repeated, or reports of different runs.
 */
@Command(name = "crash-merge", mixinStandardHelpOptions = true,
        description = "Join the crash-report.json of every shard of one crash-test run (--shard K/N) into one. Exit "
                + "status 0: all consistent; 1: some state failed; 2: a shard missing, or reports of different runs.")
final class CrashMergeCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "<file>", description = "the merged crash-report.json")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "<crash-report.json>", description = "one per shard")
    List<Path> reports;

    @Override
    public Integer call() throws Exception {
        for (Path report : reports) {
            if (!Files.isRegularFile(report)) {
                throw new CliException("no crash report at " + report);
            }
        }
        ObjectNode merged;
        try {
            merged = CrashReportMerge.merge(reports);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        Files.writeString(out, merged.toPrettyString());
        long failed = merged.path("states").path("failed").asLong();
        System.out.println("dax-audit crash-merge: " + reports.size() + " shard(s), "
                + merged.path("states").path("checked").asLong() + " of " + merged.path("states").path("distinct")
                .asLong() + " distinct state(s) checked, " + failed + " failed; report: " + out);
        return failed == 0 ? 0 : 1;
    }
}
