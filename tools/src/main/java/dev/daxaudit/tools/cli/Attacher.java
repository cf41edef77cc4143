package dev.daxaudit.tools.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.daxaudit.core.AgentOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/** Loads this jar as an agent into a running JVM, through the JDK's attach API. */
final class Attacher {
    private Attacher() {
    }

    /**
     * Loads the agent with {@code agentArgs} and returns what it did, as the agent wrote it to a status file:
     * {@code ok <message>} or {@code error <message>} (see {@code AttachStatus}).
     */
    static String run(String pid, String agentArgs) throws CliException {
        Path status;
        try {
            status = Files.createTempFile("dax-audit-status-", ".txt");
            Files.delete(status);
        } catch (IOException e) {
            throw new CliException("cannot create a status file: " + e.getMessage());
        }
        try {
            load(pid, AgentOptions.render(Map.of(AgentOptions.STATUS_KEY, status.toString()), agentArgs));
            if (!Files.exists(status)) {
                throw new CliException("the agent in process " + pid + " did not report what it did (is another "
                        + "version of dax-audit loaded there?)");
            }
            return Files.readString(status).trim();
        } catch (IOException e) {
            throw new CliException("cannot read the agent's status: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(status);
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
    }

    /** The audited JVM's MBean that carries commands; named here by string: the command line never links to it. */
    private static final String CONTROL_CLASS = "dev.daxaudit.agent.AgentControl";
    private static final String CONTROL_NAME = "dev.daxaudit:type=AgentControl";

    /**
     * {@code dump}: the report of the audited JVM {@code pid} written to {@code file}, through the JVM's local
     * management agent (started through the attach API) instead of loading the agent again, which would make the JDK
     * print its dynamic-agent warning into the application's stderr (JDK 21+). Returns the agent's outcome line.
     */
    static String dump(String pid, Path file) throws CliException {
        VirtualMachine vm = attach(pid);
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } catch (IOException e) {
            throw new CliException("cannot reach process " + pid + " (" + e.getMessage() + ")");
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target may have exited; nothing to undo
            }
        }
        try (javax.management.remote.JMXConnector jmx = javax.management.remote.JMXConnectorFactory.connect(
                new javax.management.remote.JMXServiceURL(address))) {
            javax.management.MBeanServerConnection server = jmx.getMBeanServerConnection();
            javax.management.ObjectName name = new javax.management.ObjectName(CONTROL_NAME);
            if (!server.isRegistered(name)) {
                try {
                    server.createMBean(CONTROL_CLASS, name);
                } catch (javax.management.ReflectionException e) {
                    return "error this JVM is not being audited by dax-audit (run attach first)";
                } catch (javax.management.InstanceAlreadyExistsException e) {
                    // another dump made it just now
                }
            }
            return (String) server.invoke(name, "dump", new Object[] {file.toString()},
                    new String[] {String.class.getName()});
        } catch (javax.management.JMException | IOException e) {
            throw new CliException("cannot dump process " + pid + " (" + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + "; did it exit?)");
        }
    }

    private static void load(String pid, String agentArgs) throws CliException {
        VirtualMachine vm = attach(pid);
        try {
            vm.loadAgent(agentJar().toString(), agentArgs);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new CliException("the agent could not start in process " + pid + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() + " (did it exit?)" : e.getMessage()));
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target may have exited; nothing to undo
            }
        }
    }

    /** Attaches to {@code pid}, a JVM of this user's that announces itself. */
    private static VirtualMachine attach(String pid) throws CliException {
        if (!pid.matches("\\d+")) {
            throw new CliException("'" + pid + "' is not a process id");
        }
        // Only JVMs that announce themselves (hsperfdata) are attached to: attaching to any other process would
        // send it SIGQUIT, which kills most programs.
        boolean listed = false;
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            listed |= d.id().equals(pid);
        }
        if (!listed) {
            throw new CliException("process " + pid + " is not a JVM this user can attach to (not listed by the "
                    + "attach API: not a JVM, another user's, or started with -XX:-UsePerfData or "
                    + "-XX:+DisableAttachMechanism)");
        }
        try {
            return VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            throw new CliException("cannot attach to process " + pid + ": not a JVM this user can attach to ("
                    + e.getMessage() + ")");
        }
    }

    private static Path agentJar() throws CliException {
        try {
            return Paths.get(Attacher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new CliException("cannot locate dax-audit-agent.jar: " + e.getMessage());
        }
    }
}
