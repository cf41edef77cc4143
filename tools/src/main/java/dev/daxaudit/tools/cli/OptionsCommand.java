package dev.daxaudit.tools.cli;

import dev.daxaudit.core.AgentOptions;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code options}: every agent option and what it takes. */
@Command(name = "options", mixinStandardHelpOptions = true,
        description = "List the agent options: -javaagent:dax-audit-agent.jar=key=value,key=value")
final class OptionsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (Map.Entry<String, String> e : AgentOptions.catalogue().entrySet()) {
            System.out.printf("%-15s %s%n", e.getKey(), e.getValue());
        }
        return 0;
    }
}
