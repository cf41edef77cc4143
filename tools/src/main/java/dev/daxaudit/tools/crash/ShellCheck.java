package dev.daxaudit.tools.crash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code --check}: a command run by sh for each state, {@code {dir}} replaced by the state's directory. */
public final class ShellCheck implements StateCheck {
    private final String command;

    public ShellCheck(String command) {
        if (!command.contains("{dir}")) {
            throw new IllegalArgumentException("--check must name the state's directory as {dir}: " + command);
        }
        this.command = command;
    }

    @Override
    public int check(Path dir, Path output, long timeoutSeconds) throws IOException, InterruptedException {
        Process checker = new ProcessBuilder("sh", "-c", command.replace("{dir}", dir.toString()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (checker.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            return checker.exitValue();
        }
        checker.destroyForcibly().waitFor();
        return -1;
    }
}
