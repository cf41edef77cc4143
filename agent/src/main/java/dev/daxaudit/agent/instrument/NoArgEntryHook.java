package dev.daxaudit.agent.instrument;

import org.objectweb.asm.MethodVisitor;

/**
 * A JDK method that gets one call at its entry, of a hook that takes nothing and returns nothing: the JVM-level
 * moments the agent only needs to be told of (the shutdown starting, a thread ending).
 */
abstract class NoArgEntryHook extends TypeInstrumentation {
    private final String typeName;
    private final String method;
    private final String hook;

    /** {@code method} ({@code ()V}) of {@code typeName} calls {@code Hooks.<hook>()} first. */
    NoArgEntryHook(String typeName, String method, String hook) {
        this.typeName = typeName;
        this.method = method;
        this.hook = hook;
    }

    @Override
    public final String typeName() {
        return typeName;
    }

    @Override
    final MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        if (!name.equals(method) || !descriptor.equals("()V")) {
            return mv;
        }
        return new HookedMethod(owner, mv, access, name, descriptor) {
            @Override
            void enter() {
                callHook(hook, "()V");
            }
        };
    }
}
