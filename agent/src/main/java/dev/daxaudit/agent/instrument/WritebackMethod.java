package dev.daxaudit.agent.instrument;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * A method that writes back (msync, cache-line writeback, fsync): the hook starts a writeback at entry and ends it
 * at exit, completed or, when the method throws, not.
 */
abstract class WritebackMethod extends HookedMethod {
    private int writeback;

    WritebackMethod(String owner, MethodVisitor next, int access, String name, String descriptor) {
        super(owner, next, access, name, descriptor);
    }

    /** Pushes what {@code Hooks.writebackEnd} takes: the started writeback, or null. */
    abstract void startWriteback();

    @Override
    final void enter() {
        startWriteback();
        writeback = enterLocal(Type.getType(Object.class));
        storeLocal(writeback);
        exitAlsoOnThrow();
    }

    @Override
    final void exit() {
        end(true);
    }

    @Override
    final void exitOnThrow() {
        end(false);
    }

    private void end(boolean completed) {
        loadLocal(writeback);
        push(completed);
        callHook("writebackEnd", "(Ljava/lang/Object;Z)V");
    }
}
