package dev.daxaudit.agent.instrument;

import org.objectweb.asm.MethodVisitor;

/**
 * {@code java.lang.Shutdown.runHooks()}: where the JVM's shutdown begins (at {@code System.exit}, a signal, or the
 * end of the last non-daemon thread), before it starts any shutdown hook. The heap held for the exit report is given
 * back there ({@code ExitReserve}): with a heap full of the program's data the JDK could not start the hooks at all.
 */
public final class ShutdownInstrumentation extends TypeInstrumentation {
    @Override
    public String typeName() {
        return "java.lang.Shutdown";
    }

    @Override
    MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        if (!name.equals("runHooks") || !descriptor.equals("()V")) {
            return mv;
        }
        return new HookedMethod(owner, mv, access, name, descriptor) {
            @Override
            void enter() {
                callHook("shutdownStarting", "()V");
            }
        };
    }
}
