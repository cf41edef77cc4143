package dev.daxaudit.tools.crash;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checker JVM of {@code --check-class} ({@link WarmJavaCheck}): reads one state per line on stdin ({@code <dir> TAB
 * <output file>}), runs the check class's {@code main} on it with {@code System.out} and {@code System.err} sent to the
 * output file, and answers one line on its own stdout: {@code dax-audit-answer}, the status (0 returned, 1 threw),
 * then {@code replace} when the check left a thread running (the JVM is then not used again). Each state gets the check's classes from a
 * fresh class loader, so statics do not carry over; a check that calls {@code System.exit} ends this JVM with its
 * status, which is then that state's answer.
 */
public final class CheckerMain {
    /** Starts each answer line, so that anything else a check writes to the JVM's own stdout is passed over. */
    static final String ANSWER = "dax-audit-answer ";

    private CheckerMain() {
    }

    /** args: the check class, its class path. */
    public static void main(String[] args) throws Exception {
        String checkClass = args[0];
        List<URL> urls = new ArrayList<>();
        for (String entry : args[1].split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        BufferedReader states = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.setIn(new java.io.ByteArrayInputStream(new byte[0])); // a check that reads stdin gets nothing of ours
        String line;
        while ((line = states.readLine()) != null) {
            int tab = line.indexOf('\t');
            String dir = line.substring(0, tab);
            Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
            int status;
            try (PrintStream output = new PrintStream(new FileOutputStream(line.substring(tab + 1)), true,
                    StandardCharsets.UTF_8);
                 URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]),
                         ClassLoader.getPlatformClassLoader())) {
                System.setOut(output);
                System.setErr(output);
                try {
                    status = run(loader, checkClass, dir, output);
                } finally {
                    System.setOut(originalOut);
                    System.setErr(originalErr);
                }
            }
            boolean leaked = false;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                leaked |= t.isAlive() && !before.contains(t);
            }
            answers.println(ANSWER + status + (leaked ? " replace" : ""));
        }
    }

    private static int run(ClassLoader loader, String checkClass, String dir, PrintStream output) {
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        self.setContextClassLoader(loader);
        try {
            Method main = Class.forName(checkClass, true, loader).getMethod("main", String[].class);
            main.invoke(null, (Object) new String[] {dir});
            return 0;
        } catch (InvocationTargetException e) {
            e.getCause().printStackTrace(output);
            return 1;
        } catch (ReflectiveOperationException | LinkageError e) {
            output.println("dax-audit: cannot run " + checkClass + ".main(String[]): " + e);
            return 2;
        } finally {
            self.setContextClassLoader(previous);
        }
    }
}
