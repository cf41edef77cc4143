package dev.daxaudit.agent;

/** What the command line asks of an audited JVM over its local JMX connector (see {@link AgentControl}). */
public interface AgentControlMBean {
    /** Writes the report as of now to {@code path}; returns {@code ok <message>} or {@code error <message>}. */
    String dump(String path);
}
