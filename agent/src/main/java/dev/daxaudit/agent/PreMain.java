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

    public static void premain(String options, Instrumentation inst) {
        start(options, inst, false);
    }

    public static void agentmain(String options, Instrumentation inst) {
        start(options, inst, true);
    }

    /** Never throws: an exception out of premain would end the JVM with a JPLIS fatal error. */
    private static synchronized void start(String options, Instrumentation inst, boolean attached) {
        try {
            if (!bootJarAppended) {
                BootstrapJar.appendTo(inst);
                bootJarAppended = true;
            }
            Class.forName("dev.daxaudit.agent.AgentRuntime")
                    .getMethod("start", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, options, inst, attached);
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.err.println("dax-audit: the agent could not start (" + cause + "); running unaudited");
        }
    }

    private static boolean bootJarAppended;
}
