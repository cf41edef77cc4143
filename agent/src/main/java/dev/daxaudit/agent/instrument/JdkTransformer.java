package dev.daxaudit.agent.instrument;

import dev.daxaudit.core.DaxEngine;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the hooks to the JDK classes of each {@link TypeInstrumentation}, by retransformation (they are loaded
 * before the agent starts). A class that cannot be instrumented is left as it was and counted in the report; the
 * application runs on. Later retransformations (arming the beyond-EOF check) start again from the JDK's own class
 * file, as the JVM hands a retransforming agent the class as it was before any retransformation.
 */
public final class JdkTransformer implements ClassFileTransformer {
    private final DaxEngine engine;
    private final InstrumentedClassCache cache;
    private final Map<String, TypeInstrumentation> byInternalName = new HashMap<>();
    private volatile boolean beyondEofArmed;

    public JdkTransformer(DaxEngine engine, List<TypeInstrumentation> instrumentations, InstrumentedClassCache cache) {
        this.engine = engine;
        this.cache = cache;
        for (TypeInstrumentation ti : instrumentations) {
            byInternalName.put(ti.typeName().replace('.', '/'), ti);
        }
    }

    /** Registers this transformer and retransforms every instrumented class this JDK has. */
    public void install(Instrumentation inst) {
        inst.addTransformer(this, true);
        retransform(inst, byInternalName.values());
    }

    /**
     * From now on, {@code ScopedMemoryAccess} also checks each store before it lands: a truncate has left a mapping
     * reaching beyond end of file, where a store raises SIGBUS.
     */
    public void armBeyondEofCheck(Instrumentation inst) {
        beyondEofArmed = true;
        retransform(inst, List.of(byInternalName.get("jdk/internal/misc/ScopedMemoryAccess")));
    }

    private void retransform(Instrumentation inst, Iterable<TypeInstrumentation> instrumentations) {
        List<Class<?>> classes = new ArrayList<>();
        for (TypeInstrumentation ti : instrumentations) {
            try {
                classes.add(Class.forName(ti.typeName(), false, null));
            } catch (ClassNotFoundException | LinkageError e) {
                engine.errors().record("instrument " + ti.typeName() + " (absent on this JDK)", e);
            }
        }
        for (Class<?> type : classes) { // one at a time: a failure leaves the others instrumented
            try {
                inst.retransformClasses(type);
            } catch (Throwable t) {
                engine.errors().record("instrument " + type.getName(), t);
            }
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (loader != null || className == null) {
            return null;
        }
        TypeInstrumentation ti = byInternalName.get(className);
        if (ti == null) {
            return null;
        }
        boolean armed = beyondEofArmed && ti instanceof ScopedMemoryAccessInstrumentation;
        if (armed) {
            ti = new ScopedMemoryAccessInstrumentation(true);
        }
        engine.vfs().agentIo(true); // the cache's files are the agent's, none of the program's crash states
        try {
            String variant = armed ? "armed" : "plain";
            byte[] instrumented = cache.get(ti.typeName(), variant, bytes);
            if (instrumented == null) {
                instrumented = ti.instrument(bytes);
                cache.put(ti.typeName(), variant, bytes, instrumented);
            }
            engine.hooked(ti.typeName());
            return instrumented;
        } catch (Throwable t) {
            engine.errors().record("instrument " + ti.typeName(), t);
            return null;
        } finally {
            engine.vfs().agentIo(false);
        }
    }
}
