package dev.daxaudit.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point of {@code -javaagent:dax-audit-agent.jar[=options]} and of dynamic attach. It first puts the
 * engine on the boot class path, and only then touches any class of it: a core class loaded earlier would be
 * loaded a second time, by the wrong loader.
 */
public final class PreMain {
    private PreMain() {
    }

    public static void premain(String options, Instrumentation inst) throws Exception {
        start(options, inst, false);
    }

    public static void agentmain(String options, Instrumentation inst) throws Exception {
        start(options, inst, true);
    }

    private static synchronized void start(String options, Instrumentation inst, boolean attached) throws Exception {
        if (!bootJarAppended) {
            BootstrapJar.appendTo(inst);
            bootJarAppended = true;
        }
        try {
            Class.forName("dev.daxaudit.agent.AgentRuntime")
                    .getMethod("start", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, options, inst, attached);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private static boolean bootJarAppended;
}
