package dev.daxaudit.tools.cli;

import dev.daxaudit.core.AttachStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code attach <pid> [options]}: start auditing a running JVM from now on. */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Start auditing a running JVM from now on (dynamic attach). Mappings made before the attach "
                + "are unknown to the agent: the report counts them and says that stores into them are not audited. "
                + "Exit status 0 only when the target is auditing.")
final class AttachCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<pid>")
    String pid;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<options>",
            description = "Agent options, as after -javaagent:dax-audit-agent.jar= (report=...,formats=...).")
    String options = "";

    @Override
    public Integer call() throws Exception {
        String outcome = Attacher.run(pid, options);
        if (!AttachStatus.ok(outcome)) {
            throw new CliException("process " + pid + " is not audited: " + AttachStatus.message(outcome));
        }
        System.out.println("dax-audit: process " + pid + ": " + AttachStatus.message(outcome));
        return 0;
    }
}
