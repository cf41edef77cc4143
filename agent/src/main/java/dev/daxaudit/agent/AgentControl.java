package dev.daxaudit.agent;

import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.RunningEngine;
import java.nio.file.Paths;

/**
 * {@code dax-audit dump <pid>} without loading the agent again. The command line starts the JVM's local management
 * agent through the attach API, creates this MBean by name in the JVM's platform MBean server (the agent jar is on
 * the system class path of every JVM the agent runs in) and calls {@link #dump}. Loading the agent a second time to
 * carry the command made the JDK print its four-line dynamic-agent warning into the application's stderr on every
 * dump (JDK 21+); nothing is registered at start-up, so JVMs that are never dumped pay nothing.
 */
public final class AgentControl implements AgentControlMBean {
    /** The MBean's name in the audited JVM's platform MBean server. */
    public static final String NAME = "dev.daxaudit:type=AgentControl";

    @Override
    public String dump(String path) {
        DaxEngine engine = RunningEngine.get();
        if (engine == null) {
            return "error this JVM is not being audited by dax-audit (run attach first)";
        }
        return new DumpReport(engine, Paths.get(path)).write();
    }
}
