package dev.daxaudit.junit;

import dev.daxaudit.tools.crash.CrashImage;
import dev.daxaudit.tools.crash.Persistence;
import dev.daxaudit.tools.crash.CrashRun;
import dev.daxaudit.tools.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashStates;
import dev.daxaudit.tools.crash.CrashStates.State;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Behind {@link CrashTest}: runs the workload in a forked JVM with the agent's crash journal, then offers one
 * invocation of the test method per crash state, each with the state written into a directory of its own. A
 * state that passes has its directory deleted; one that fails keeps it, and its failure names the crash point and
 * the pages that did not reach the media.
 */
public final class CrashTestExtension implements TestTemplateInvocationContextProvider {
    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(CrashTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        CrashTest crashTest = method.getAnnotation(CrashTest.class);
        if (!EngineAccess.available()) {
            throw new IllegalStateException(DaxAuditExtension.NO_AGENT.replace("@DaxAudit", "@CrashTest"));
        }
        try {
            Path work = Files.createTempDirectory("dax-audit-crash-test-");
            Journal journal = runWorkload(crashTest, work);
            List<State> states = CrashRun.enumerate(journal, crashTest.strategy(), crashTest.tornLines(),
                    crashTest.maxStates()).states();
            if (states.isEmpty()) {
                throw new IllegalStateException("dax-audit: the workload " + crashTest.workload().getName()
                        + " mapped no audited file, so there is no crash state to check");
            }
            // The workload mapped its files in its fork, whose report is the crash run's own: check counts this line
            // as tests that mapped files (a module whose tests are all @CrashTest maps nothing itself).
            ReportSidecar.append("crash-tests", crashTest.workload().getName() + " " + journal.files().size());
            Path root = journal.root();
            context.getStore(ExtensionContext.Namespace.create(CrashTestExtension.class, method))
                    .put("work", new WorkDirectory(work));
            return states.stream().map(s -> new StateInvocation(s, journal, root, work));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("dax-audit: the crash test's workload could not run: " + e, e);
        }
    }

    /**
     * The run's temporary directory, removed when the test method's states are done unless a failing state left its
     * files there for the user.
     */
    @SuppressWarnings("deprecation") // CloseableResource: closed by every JUnit 5 version, AutoCloseable only by 5.13+
    private static final class WorkDirectory implements ExtensionContext.Store.CloseableResource {
        private final Path work;

        WorkDirectory(Path work) {
            this.work = work;
        }

        @Override
        public void close() throws IOException {
            try (Stream<Path> kept = Files.list(work)) {
                if (kept.anyMatch(p -> p.getFileName().toString().startsWith("state-"))) {
                    return;
                }
            }
            CrashImage.delete(work);
        }
    }

    private static Journal runWorkload(CrashTest crashTest, Path work) throws IOException, InterruptedException {
        Path files = Files.createDirectories(work.resolve("workload"));
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(crashTest.workload()), crashTest.workload().getName(), files.toString()));
        cmd.addAll(List.of(crashTest.args()));
        Path output = work.resolve("workload.out");
        CrashRun.Recording run = CrashRun.record(Paths.get(agentJar()), null, cmd, work,
                ProcessBuilder.Redirect.to(output.toFile()), 300);
        if (run.exitStatus() != 0) {
            throw new IllegalStateException("dax-audit: the workload " + crashTest.workload().getName() + " exited "
                    + run.exitStatus() + ": " + Files.readString(output).strip());
        }
        return run.read(crashTest.persistence().isEmpty() ? null : Persistence.parse(crashTest.persistence()));
    }

    /**
     * The class path the workload was loaded from: this JVM's, and the URLs of the loaders between (a launcher, such
     * as JUnit's console launcher, may load the tests through a loader of its own).
     */
    private static String classPath(Class<?> workload) {
        java.util.Set<String> entries = new java.util.LinkedHashSet<>();
        for (ClassLoader l = workload.getClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader) {
                for (java.net.URL url : ((java.net.URLClassLoader) l).getURLs()) {
                    if (url.getProtocol().equals("file")) {
                        entries.add(Paths.get(java.net.URI.create(url.toString())).toString());
                    }
                }
            }
        }
        entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        return String.join(File.pathSeparator, entries);
    }

    /** The agent jar of this JVM's {@code -javaagent:} argument, which the fork uses too. */
    private static String agentJar() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-javaagent:") && arg.contains("dax-audit")) {
                String jar = arg.substring("-javaagent:".length());
                return jar.contains("=") ? jar.substring(0, jar.indexOf('=')) : jar;
            }
        }
        throw new IllegalStateException("dax-audit: @CrashTest found no -javaagent:...dax-audit...jar argument in this "
                + "JVM to run the workload with");
    }

    /** One crash state: its directory as the test's Path parameter, and its failure message. */
    private static final class StateInvocation implements TestTemplateInvocationContext {
        private final State state;
        private final Journal journal;
        private final Path root;
        private final Path dir;

        StateInvocation(State state, Journal journal, Path root, Path work) {
            this.state = state;
            this.journal = journal;
            this.root = root;
            this.dir = work.resolve("state-" + state.index());
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return "crash state " + state.index() + ": " + state.point().describe();
        }

        String describe() {
            List<String> lost = new ArrayList<>();
            for (DirtyPage p : state.lostPages()) {
                lost.add(CrashRun.page(journal, p) + " (stored at " + p.site() + ")");
            }
            List<String> persisted = new ArrayList<>();
            for (DirtyPage p : state.persistedPages()) {
                persisted.add(CrashRun.page(journal, p));
            }
            for (var op : state.lostOps()) {
                lost.add(op.describe());
            }
            CrashStates.Torn torn = state.torn();
            if (torn != null) {
                lost.add(CrashRun.page(journal, state.point().dirty().get(torn.index())) + " torn (" + torn.linesPersisted()
                        + " of " + torn.linesChanged() + " changed cache lines persisted)");
            }
            return "crash state " + state.index() + " (crash point " + (state.point().index() + 1) + ", "
                    + state.point().describe() + "; not persisted: " + (lost.isEmpty() ? "none" : String.join(", ", lost))
                    + "; persisted: " + (persisted.isEmpty() ? "none" : String.join(", ", persisted))
                    + "; files kept in " + dir + ")";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new ParameterResolver() {
                @Override
                public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
                    return p.getParameter().getType() == Path.class || p.getParameter().getType() == File.class;
                }

                @Override
                public Object resolveParameter(ParameterContext p, ExtensionContext c) {
                    try {
                        if (!Files.exists(dir)) {
                            CrashImage.write(state, journal, root, dir);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException("dax-audit: cannot write " + dir + ": " + e, e);
                    }
                    return p.getParameter().getType() == Path.class ? dir : dir.toFile();
                }
            }, new InvocationInterceptor() {
                @Override
                public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                                        ReflectiveInvocationContext<Method> invocationContext,
                                                        ExtensionContext extensionContext) throws Throwable {
                    try {
                        invocation.proceed();
                    } catch (Throwable t) {
                        throw new AssertionError("dax-audit: recovery failed in " + describe() + ": " + t.getMessage()
                                + "; remedy: " + CrashRun.remedy(journal, state), t);
                    }
                    CrashImage.delete(dir);
                }
            });
        }
    }

}
