package dev.daxaudit.agent.instrument;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * {@code FileChannelImpl$Unmapper.unmap()}: every unmap, whether by the GC's cleaner thread, by
 * {@code Unsafe.invokeCleaner} or by closing an arena. Caught at entry: once munmap returns, the address may be
 * handed to a new mapping.
 */
public final class UnmapperInstrumentation extends TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.nio.ch.FileChannelImpl$Unmapper";
    }

    @Override
    MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        if (!name.equals("unmap") || !descriptor.equals("()V")) {
            return mv;
        }
        return new HookedMethod(owner, mv, access, name, descriptor) {
            @Override
            void enter() {
                loadField("address", Type.LONG_TYPE);
                callHook("unmapping", "(J)V");
            }
        };
    }
}
