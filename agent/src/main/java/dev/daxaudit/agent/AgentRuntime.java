package dev.daxaudit.agent;

import dev.daxaudit.agent.instrument.CallSiteRewriter;
import dev.daxaudit.agent.instrument.FileChannelImplInstrumentation;
import dev.daxaudit.agent.instrument.IOUtilInstrumentation;
import dev.daxaudit.agent.instrument.InstrumentedClassCache;
import dev.daxaudit.agent.instrument.JdkTransformer;
import dev.daxaudit.agent.instrument.MappedMemoryUtilsInstrumentation;
import dev.daxaudit.agent.instrument.FileOperationsInstrumentation;
import dev.daxaudit.agent.instrument.ScopedMemoryAccessInstrumentation;
import dev.daxaudit.agent.instrument.ShutdownInstrumentation;
import dev.daxaudit.agent.instrument.ThreadExitInstrumentation;
import dev.daxaudit.agent.instrument.SunMiscUnsafeInstrumentation;
import dev.daxaudit.agent.instrument.TypeInstrumentation;
import dev.daxaudit.agent.instrument.UnmapperInstrumentation;
import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.CrashJournal;
import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.OptionsException;
import dev.daxaudit.core.PageWriteTracker;
import dev.daxaudit.core.RunningEngine;
import dev.daxaudit.core.AttachStatus;
import dev.daxaudit.core.hooks.ExitReserve;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts auditing: parses the options, builds the engine, opens the JDK internals the hooks need, initialises
 * the hooks, then retransforms the JDK classes. A bad option prints one line and leaves the application to run
 * unaudited, unless {@code strict=true}, which ends the JVM with status 2.
 */
public final class AgentRuntime {
    private static final String HOOKS = "dev.daxaudit.core.hooks.Hooks";

    private AgentRuntime() {
    }

    public static void start(String optionText, Instrumentation inst) throws Exception {
        start(optionText, inst, false);
    }

    /**
     * Starts auditing; a second start finds the engine running and says so ({@code dax-audit dump} goes through
     * {@link AgentControl} instead). {@code attached}: loaded into a running JVM, so mappings made before now are not
     * known. When the options name a {@code status} file (the command line's {@code attach} does), the outcome is
     * written there, one line, for the command line to report. Never throws: a failure leaves the application to
     * run unaudited, or with {@code strict=true} at start-up ends the JVM with status 2.
     */
    public static synchronized void start(String optionText, Instrumentation inst, boolean attached) {
        String status = AgentOptions.statusFile(optionText);
        String text = AgentOptions.withoutStatus(optionText);
        String outcome;
        try {
            outcome = run(text, inst, attached);
        } catch (Throwable t) {
            outcome = "error the agent could not start: " + ReportFiles.reason(t);
            System.err.println("dax-audit: the agent could not start (" + ReportFiles.reason(t) + "); running "
                    + "unaudited");
        }
        if (status != null) {
            writeStatus(Paths.get(status), outcome);
        }
    }

    /** Does what the options ask; returns the outcome as {@code ok <message>} or {@code error <message>}. */
    private static String run(String text, Instrumentation inst, boolean attached) throws Exception {
        if (RunningEngine.get() != null) {
            return "ok already auditing this JVM; options ignored: " + text;
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(text);
        } catch (OptionsException e) {
            if (AgentOptions.asksStrict(text) && !attached) {
                System.err.println(e.getMessage() + "; stopping the JVM (strict=true)");
                System.err.flush();
                // After the JVM is up, so it ends with this status instead of a JPLIS fatal error.
                System.exit(AgentOptions.BAD_OPTION_EXIT_STATUS);
            }
            System.err.println(e.getMessage() + "; running unaudited");
            return "error " + e.getMessage().replaceFirst("^dax-audit: ", "");
        }
        String problem = options.formats().contains(AgentOptions.Format.JSON)
                ? ReportFiles.problemWith(Paths.get(options.reportPath())) : null;
        if (problem != null) {
            System.err.println("dax-audit: " + problem + "; if it still is at exit, the report goes to "
                    + ReportFiles.fallback(Paths.get(options.reportPath())));
        }
        DaxEngine engine = new DaxEngine(options, System::nanoTime);
        if (options.crashJournal() != null) {
            try {
                engine.recordCrashStates(CrashJournal.open(Paths.get(options.crashJournal()),
                        NativeAccessModule.fileExtents(inst)));
            } catch (Exception e) {
                System.err.println("dax-audit: cannot write the crash journal " + options.crashJournal() + " ("
                        + ReportFiles.reason(e) + "); crash states are not recorded");
            }
        }
        if (attached) {
            engine.attachedLate(PreexistingMappings.count(), PreexistingMappings.bytes());
        }
        Module bootModule = Class.forName(HOOKS, false, null).getModule();
        openJavaBaseTo(inst, bootModule);
        if (!RunningEngine.install(engine)) {
            return "ok already auditing this JVM; options ignored: " + text;
        }
        Class.forName(HOOKS, true, null);
        PageWriteTracker kernel = kernelTracker(options, inst, engine);
        if (kernel != null) {
            engine.trackWritesInKernel(kernel);
            if (options.faultSites()) {
                // Faults are sampled for this thread and those it starts: from premain, the application's own.
                String unsampled = attached ? "attached to a running JVM: its threads cannot be sampled"
                        : engine.sampleStoreFaults(new CompiledCodeSymbols(inst));
                if (unsampled != null) {
                    System.err.println("dax-audit: sites=faults names no store code (" + unsampled
                            + "): findings name the mappings' sites");
                }
            }
        }
        install(inst, engine, kernel == null);
        inst.addTransformer(new CallSiteRewriter(inst, bootModule, engine.errors()), false);
        IntervalReports interval = null;
        if (options.intervalMillis() > 0) {
            interval = new IntervalReports(engine, options.intervalMillis());
            interval.start();
        }
        ExitReserve.hold(Runtime.getRuntime().maxMemory());
        Runtime.getRuntime().addShutdownHook(new Thread(new ExitReport(engine, interval), "dax-audit-exit-report"));
        return "ok auditing from now on";
    }

    /** Tells the command line that asked ({@code attach}, {@code dump}) what happened; see {@link AttachStatus}. */
    private static void writeStatus(Path file, String outcome) {
        try {
            ReportFiles.writeAtomically(file, (outcome + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (Throwable t) {
            System.err.println("dax-audit: could not tell the command line the outcome (" + ReportFiles.reason(t)
                    + "): " + outcome);
        }
    }

    /**
     * Advice inlined into java.base calls the hooks on the boot class path, so java.base must read that module;
     * the hooks call {@code sun.nio.ch.FileKey} and {@code jdk.internal.misc.Unsafe}, so those are exported to it.
     */
    private static void openJavaBaseTo(Instrumentation inst, Module bootModule) {
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(bootModule),
                Map.of("sun.nio.ch", Set.of(bootModule), "jdk.internal.misc", Set.of(bootModule)),
                Map.of(), Set.of(), Map.of());
        try {
            // sun.misc.Unsafe's hooks (jdk.unsupported) call the same Hooks; an image without the module has none.
            Module unsupported = Class.forName("sun.misc.Unsafe", false, null).getModule();
            inst.redefineModule(unsupported, Set.of(bootModule), Map.of(), Map.of(), Set.of(), Map.of());
        } catch (ClassNotFoundException e) {
            // no jdk.unsupported: nothing stores through sun.misc.Unsafe
        }
    }

    /**
     * The kernel tracker where the options ask for it and the kernel and JDK allow it, else null (store hooks).
     * {@code tracking=kernel} says in one line why it falls back; {@code auto} tells the engine which tracker it
     * chose and why, for the report and the summary. {@code auto} keeps the hooks for crash states: they journal each
     * store when it is made, so a store racing a force and a MAP_SYNC mapping's cache lines are states of their own.
     */
    private static PageWriteTracker kernelTracker(AgentOptions options, Instrumentation inst, DaxEngine engine) {
        AgentOptions.Tracking tracking = options.tracking();
        if (tracking == AgentOptions.Tracking.BYTECODE) {
            return null;
        }
        boolean auto = tracking == AgentOptions.Tracking.AUTO;
        if (auto && options.crashJournal() != null) {
            engine.trackerChosen("tracking=auto: the store hooks record crash states store by store");
            return null;
        }
        try {
            PageWriteTracker kernel = NativeAccessModule.kernelTracker(inst);
            if (auto) {
                engine.trackerChosen("tracking=auto: the kernel tracker works here");
            }
            return kernel;
        } catch (Throwable t) {
            String why = t instanceof UnsupportedOperationException ? t.getMessage() : ReportFiles.reason(t);
            if (auto) {
                engine.trackerChosen("tracking=auto: the kernel tracker is not available here (" + why + ")");
            } else {
                System.err.println("dax-audit: tracking=kernel is not available here (" + why + "); using the store "
                        + "hooks");
            }
            return null;
        }
    }

    /** {@code storeHooks}: false when the kernel tracks written pages, so no store path is instrumented at all. */
    private static void install(Instrumentation inst, DaxEngine engine, boolean storeHooks) {
        List<TypeInstrumentation> types = new ArrayList<>(List.of(
                new FileChannelImplInstrumentation(),
                new UnmapperInstrumentation(),
                new ShutdownInstrumentation(),
                new ThreadExitInstrumentation(),
                new MappedMemoryUtilsInstrumentation()));
        if (storeHooks) {
            types.add(new ScopedMemoryAccessInstrumentation(false));
            types.add(new SunMiscUnsafeInstrumentation());
            types.add(new IOUtilInstrumentation());
        }
        types.addAll(FileOperationsInstrumentation.writeFamily());
        if (engine.vfs().recordsCrashStates()) {
            types.addAll(FileOperationsInstrumentation.namespace()); // names matter only to crash states
        }
        JdkTransformer transformer = new JdkTransformer(engine, types,
                InstrumentedClassCache.in(BootstrapJar.cacheDirectory(), BootstrapJar.cacheKey()));
        transformer.install(inst);
        engine.ffm(ffmMapping());
        if (storeHooks) {
            engine.onBeyondEofMappings(new ArmBeyondEofCheck(transformer, inst));
        }
    }

    /** Run by the engine the first time a truncate leaves a mapping beyond end of file. */
    private static final class ArmBeyondEofCheck implements Runnable {
        private final JdkTransformer transformer;
        private final Instrumentation inst;

        ArmBeyondEofCheck(JdkTransformer transformer, Instrumentation inst) {
            this.transformer = transformer;
            this.inst = inst;
        }

        @Override
        public void run() {
            transformer.armBeyondEofCheck(inst);
        }
    }

    /** Whether this JDK maps files to memory segments ({@code FileChannel.map(mode, position, size, Arena)}, 22+). */
    private static boolean ffmMapping() {
        for (java.lang.reflect.Method m : java.nio.channels.FileChannel.class.getMethods()) {
            if (m.getName().equals("map") && m.getParameterCount() == 4) {
                return true;
            }
        }
        return false;
    }
}
