package dev.daxaudit.tools.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code --check-class}: the check is a Java class whose {@code main(String[])} gets the state's directory, run in
 * long-lived checker JVMs ({@link CheckerMain}) that take one state after another, so that a state costs the check
 * and not a JVM start and its class loading. A state that fails or times out, calls {@code System.exit} or leaves a
 * thread behind affects only itself: the JVM is replaced after it (and after {@link #STATES_PER_JVM} states in any
 * case, so that what a check leaks cannot grow without bound); each state loads the check's classes afresh.
 */
public final class WarmJavaCheck implements StateCheck {
    /** States one checker JVM takes before it is replaced. */
    static final int STATES_PER_JVM = 200;

    private final List<String> command;
    private final ConcurrentLinkedQueue<CheckerJvm> idle = new ConcurrentLinkedQueue<>();

    /**
     * {@code java} runs the checker JVMs (the application's own java), {@code toolJar} holds {@link CheckerMain} (the
     * agent jar), {@code classPath} the check class and what it needs.
     */
    public WarmJavaCheck(String java, Path toolJar, String checkClass, String classPath) {
        this.command = List.of(java, "-cp", toolJar.toString(), CheckerMain.class.getName(), checkClass, classPath);
    }

    @Override
    public int check(Path dir, Path output, long timeoutSeconds) throws IOException, InterruptedException {
        CheckerJvm jvm = idle.poll();
        int status;
        try {
            status = (jvm != null ? jvm : (jvm = start())).check(dir, output, timeoutSeconds);
        } catch (IOException e) {
            jvm.end(); // it went away between two states: the state goes to a new one
            jvm = start();
            status = jvm.check(dir, output, timeoutSeconds);
        }
        if (jvm.reusable()) {
            idle.add(jvm);
        } else {
            jvm.end();
        }
        return status;
    }

    private CheckerJvm start() throws IOException {
        // The checker's own stderr: only what the JVM prints outside a check (each check's goes to its output).
        return new CheckerJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    @Override
    public void close() {
        for (CheckerJvm jvm; (jvm = idle.poll()) != null; ) {
            jvm.end();
        }
    }

    /** One checker JVM and the answers it gives, read by a thread of its own so that a wait can time out. */
    private static final class CheckerJvm {
        private static final String ENDED = "";
        private final Process process;
        private final Writer states;
        private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
        private int checked;
        private boolean usable = true;

        CheckerJvm(Process process) {
            this.process = process;
            this.states = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith(CheckerMain.ANSWER)) {
                            answers.add(line.substring(CheckerMain.ANSWER.length()));
                        }
                    }
                } catch (IOException e) {
                    // the JVM went away: ENDED below says so
                }
                answers.add(ENDED);
            }, "dax-audit checker answers");
            reader.setDaemon(true);
            reader.start();
        }

        int check(Path dir, Path output, long timeoutSeconds) throws IOException, InterruptedException {
            checked++;
            try {
                states.write(dir + "\t" + output + "\n");
                states.flush();
            } catch (IOException e) {
                usable = false;
                throw new IOException("the checker JVM ended before taking " + dir, e);
            }
            String answer = answers.poll(timeoutSeconds, TimeUnit.SECONDS);
            if (answer == null) {
                usable = false;
                return -1;
            }
            if (answer.equals(ENDED)) {
                // The check ended the JVM (System.exit, or a crash): its exit status is the state's answer.
                usable = false;
                int status = process.waitFor();
                if (status != 0) {
                    java.nio.file.Files.writeString(output, "(the checker JVM ended with status " + status
                            + ": System.exit in the check, or a crash)\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
                return status;
            }
            String[] fields = answer.split(" ");
            usable = fields.length == 1 && fields[0].equals("0") && checked < STATES_PER_JVM;
            return Integer.parseInt(fields[0]);
        }

        boolean reusable() {
            return usable;
        }

        void end() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
