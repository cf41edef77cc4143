package dev.daxaudit.agent.instrument;

import org.objectweb.asm.MethodVisitor;

/**
 * {@code java.lang.Thread.exit()}: the JVM calls it as a platform thread ends, the main thread's end included, before
 * the JVM's shutdown begins. A program that ends with its heap full to the last bytes fails there already (on JDK 17
 * the main thread's {@code TerminatingThreadLocal.threadTerminated} cannot allocate, the shutdown never reaches
 * {@code Shutdown.runHooks}, and the JVM exits 0 with no report): so where a thread ends with less free heap than the
 * agent holds for its exit report, the reserve is given back there ({@code ExitReserve}).
 */
public final class ThreadExitInstrumentation extends TypeInstrumentation {
    @Override
    public String typeName() {
        return "java.lang.Thread";
    }

    @Override
    MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        if (!name.equals("exit") || !descriptor.equals("()V")) {
            return mv;
        }
        return new HookedMethod(owner, mv, access, name, descriptor) {
            @Override
            void enter() {
                callHook("threadExiting", "()V");
            }
        };
    }
}
