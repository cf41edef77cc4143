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

    private static void load(String pid, String agentArgs) throws CliException {
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
                    + "attach API; a JVM started with -XX:-UsePerfData cannot be listed)");
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            throw new CliException("cannot attach to process " + pid + ": not a JVM this user can attach to ("
                    + e.getMessage() + ")");
        }
        try {
            vm.loadAgent(agentJar().toString(), agentArgs);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new CliException("the agent could not start in process " + pid + ": " + e.getMessage());
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target may have exited; nothing to undo
            }
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
