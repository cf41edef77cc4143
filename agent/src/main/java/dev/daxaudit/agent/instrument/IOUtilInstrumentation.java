package dev.daxaudit.agent.instrument;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * {@code sun.nio.ch.IOUtil.readIntoNativeBuffer}: the kernel writing into a direct buffer, as
 * {@code FileChannel.read(mappedBuffer)} or a socket read does. The bytes land in the mapping without any Java
 * store, so the read itself is the store: at exit, the buffer's position has moved past them.
 */
public final class IOUtilInstrumentation extends TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.nio.ch.IOUtil";
    }

    @Override
    MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        Type[] args = Type.getArgumentTypes(descriptor);
        if (!name.equals("readIntoNativeBuffer") || Type.getReturnType(descriptor) != Type.INT_TYPE
                || args.length < 2 || !args[1].equals(Type.getType(java.nio.ByteBuffer.class))) {
            return mv;
        }
        return new HookedMethod(owner, mv, access, name, descriptor) {
            @Override
            void exit() {
                dup(); // the bytes read
                loadArg(1);
                callHook("readInto", "(ILjava/nio/ByteBuffer;)V");
            }
        };
    }
}
