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
            String gate = attached ? null : gate(options);
            if (gate != null) {
                // A build gate must never pass on an agent that did not run.
                System.err.println("dax-audit: the agent could not start (" + cause + "); stopping the JVM (" + gate
                        + ")");
                System.err.flush();
                System.exit(2);
            }
            System.err.println("dax-audit: the agent could not start (" + cause + "); running unaudited");
        }
    }

    private static boolean bootJarAppended;

    /** {@code strict=true} or {@code failOnFindings=true} in the raw options (nothing of the engine may be loaded). */
    private static String gate(String options) {
        String text = "," + options + ",";
        return text.contains(",strict=true,") ? "strict=true"
                : text.contains(",failOnFindings=true,") ? "failOnFindings=true" : null;
    }
}
