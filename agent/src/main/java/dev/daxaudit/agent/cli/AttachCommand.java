package dev.daxaudit.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code attach <pid> [options]}: start auditing a running JVM from now on. */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Start auditing a running JVM from now on (dynamic attach). Mappings made before the attach "
                + "are unknown to the agent: the report counts them and says that stores into them are not audited.")
final class AttachCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<pid>")
    String pid;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<options>",
            description = "Agent options, as after -javaagent:dax-audit-agent.jar= (report=...,formats=...).")
    String options = "";

    @Override
    public Integer call() throws Exception {
        Attacher.load(pid, options);
        System.out.println("dax-audit: auditing process " + pid + " from now on");
        return 0;
    }
}
