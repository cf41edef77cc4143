package dev.daxaudit.agent;

import dev.daxaudit.agent.bootstrap.EngineHolder;
import dev.daxaudit.agent.instrument.BeyondEofCheckInstrumentation;
import dev.daxaudit.agent.instrument.CallSiteRewriter;
import dev.daxaudit.agent.instrument.FileChannelImplInstrumentation;
import dev.daxaudit.agent.instrument.IOUtilInstrumentation;
import dev.daxaudit.agent.instrument.MappedMemoryUtilsInstrumentation;
import dev.daxaudit.agent.instrument.ScopedMemoryAccessInstrumentation;
import dev.daxaudit.agent.instrument.TypeInstrumentation;
import dev.daxaudit.agent.instrument.UnmapperInstrumentation;
import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.InternalErrors;
import dev.daxaudit.core.OptionsException;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Starts auditing: parses the options, builds the engine, opens the JDK internals the hooks need, initialises
 * the hooks, then retransforms the JDK classes. A bad option prints one line and leaves the application to run
 * unaudited, unless {@code strict=true}.
 */
public final class AgentRuntime {
    private static final String HOOKS = "dev.daxaudit.agent.bootstrap.Hooks";
    /** Agent arguments of the form {@code dump=<path>}, sent by {@code dax-audit dump <pid>}: write a report now. */
    static final String DUMP = "dump=";
    /** The running engine, once auditing has started in this JVM: a later attach only runs commands against it. */
    private static volatile DaxEngine running;

    private AgentRuntime() {
    }

    public static void start(String optionText, Instrumentation inst) throws Exception {
        start(optionText, inst, false);
    }

    /**
     * Starts auditing, or, when it already runs in this JVM, carries out a command: {@code dump=<path>} writes the
     * report now. {@code attached}: loaded into a running JVM, so mappings made before now are not known.
     */
    public static synchronized void start(String optionText, Instrumentation inst, boolean attached)
            throws Exception {
        if (optionText != null && optionText.startsWith(DUMP)) {
            if (running != null) { // not audited: no file, which the dump command reports
                ExitReport.writeJson(running, "dump", optionText.substring(DUMP.length()));
            }
            return;
        }
        if (running != null) {
            System.err.println("dax-audit: already auditing this JVM; options ignored: " + optionText);
            return;
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(optionText);
        } catch (OptionsException e) {
            System.err.println(e.getMessage() + (AgentOptions.asksStrict(optionText) ? "" : "; running unaudited"));
            if (AgentOptions.asksStrict(optionText)) {
                throw new IllegalArgumentException(e.getMessage());
            }
            return;
        }
        DaxEngine engine = new DaxEngine(options, System::nanoTime);
        if (attached) {
            engine.attachedLate(PreexistingMappings.count(), PreexistingMappings.bytes());
        }
        Module bootModule = Class.forName(HOOKS, false, null).getModule();
        openJavaBaseTo(inst, bootModule);
        EngineHolder.set(engine);
        Class.forName(HOOKS, true, null);
        install(inst, engine);
        inst.addTransformer(new CallSiteRewriter(inst, bootModule, engine.errors()), false);
        Runtime.getRuntime().addShutdownHook(new Thread(new ExitReport(engine), "dax-audit-exit-report"));
        running = engine;
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
    }

    private static void install(Instrumentation inst, DaxEngine engine) {
        InternalErrors errors = engine.errors();
        // Keeps Byte Buddy off sun.misc.Unsafe (JDK 24+ warns on stderr when it is used). The shade plugin
        // relocates this name along with Byte Buddy, so it never touches an application's own Byte Buddy.
        System.setProperty("net.bytebuddy.safe", "true");
        List<TypeInstrumentation> instrumentations = List.of(
                new ScopedMemoryAccessInstrumentation(),
                new FileChannelImplInstrumentation(),
                new UnmapperInstrumentation(),
                new MappedMemoryUtilsInstrumentation(),
                new IOUtilInstrumentation());
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy())
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .ignore(net.bytebuddy.matcher.ElementMatchers.none())
                .with(new Listener(engine));
        for (TypeInstrumentation ti : instrumentations) {
            try {
                Class.forName(ti.typeName(), false, null);
            } catch (ClassNotFoundException e) {
                errors.record("instrument " + ti.typeName() + " (absent on this JDK)", e);
                continue;
            }
            builder = builder.type(named(ti.typeName())).transform(
                    (DynamicType.Builder<?> b, TypeDescription type, ClassLoader loader, JavaModule module,
                     java.security.ProtectionDomain domain) -> b.visit(ti.advice()));
        }
        builder.installOn(inst);
        engine.ffm(ffmMapping());
        armBeyondEofCheckLater(inst, engine);
    }

    /**
     * Installs {@link BeyondEofCheckInstrumentation} behind a switch that is off, and has the engine turn it on and
     * retransform {@code ScopedMemoryAccess} the first time a truncate leaves a mapping beyond end of file.
     */
    private static void armBeyondEofCheckLater(Instrumentation inst, DaxEngine engine) {
        TypeInstrumentation check = new BeyondEofCheckInstrumentation();
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        new AgentBuilder.Default(new ByteBuddy())
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .ignore(net.bytebuddy.matcher.ElementMatchers.none())
                .with(new Listener(engine))
                .type((type, loader, module, redefined, domain) -> armed.get() && type.getName().equals(check.typeName()))
                .transform((DynamicType.Builder<?> b, TypeDescription type, ClassLoader loader, JavaModule module,
                            java.security.ProtectionDomain domain) -> b.visit(check.advice()))
                .installOn(inst);
        engine.onBeyondEofMappings(() -> {
            try {
                armed.set(true);
                inst.retransformClasses(Class.forName(check.typeName(), false, null));
            } catch (Throwable t) {
                engine.errors().record("arm beyond-EOF check", t);
            }
        });
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

    /** Records which JDK types were instrumented, and counts failures into the report instead of printing them. */
    private static final class Listener extends AgentBuilder.Listener.Adapter {
        private final DaxEngine engine;

        Listener(DaxEngine engine) {
            this.engine = engine;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            engine.hooked(type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            engine.errors().record("instrument " + typeName, t);
        }
    }
}
