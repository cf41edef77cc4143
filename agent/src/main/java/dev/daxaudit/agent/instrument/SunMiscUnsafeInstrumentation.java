package dev.daxaudit.agent.instrument;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * {@code sun.misc.Unsafe}: the stores at raw addresses that Netty's {@code ByteBuf}s, Agrona's {@code UnsafeBuffer}
 * (Aeron) and Chronicle make into mapped memory, which never pass through {@code ScopedMemoryAccess} (they go
 * straight to {@code jdk.internal.misc.Unsafe}). Every public store of a primitive, as {@code (Object base, long
 * offset, value)} or {@code (long address, value)}, the atomic updates, {@code copyMemory} and {@code setMemory} get
 * an exit hook: the store is recorded after it landed, with the application's site, as for buffer stores. A null
 * base (or the address form) is an absolute address; anything else a heap object, which the hook passes over at
 * the cost of a branch. Stores of references are never off-heap and are left alone.
 */
public final class SunMiscUnsafeInstrumentation extends TypeInstrumentation {
    private static final Pattern STORE = Pattern.compile(
            "(?:put|getAndAdd|getAndSet|compareAndSwap|putOrdered)(Boolean|Byte|Short|Char|Int|Long|Float|Double)"
            + "(?:Volatile)?");
    private static final Type OBJECT = Type.getType(Object.class);

    @Override
    public String typeName() {
        return "sun.misc.Unsafe";
    }

    @Override
    MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        if ((access & Opcodes.ACC_PUBLIC) == 0 || (access & Opcodes.ACC_STATIC) != 0) {
            return mv;
        }
        Type[] args = Type.getArgumentTypes(descriptor);
        Matcher store = STORE.matcher(name);
        if (store.matches() || name.equals("putAddress")) {
            int width = name.equals("putAddress") ? 8 : ScopedMemoryAccessInstrumentation.widthOf(store.group(1));
            if (args.length >= 3 && args[0].equals(OBJECT) && args[1] == Type.LONG_TYPE) {
                return scalar(owner, mv, access, name, descriptor, 0, width);
            }
            if (args.length == 2 && args[0] == Type.LONG_TYPE) {
                return scalar(owner, mv, access, name, descriptor, -1, width);
            }
            return mv;
        }
        if (name.equals("copyMemory")) {
            return descriptor.equals("(JJJ)V") ? bulk(owner, mv, access, name, descriptor, -1, 1, 2)
                    : descriptor.equals("(Ljava/lang/Object;JLjava/lang/Object;JJ)V")
                    ? bulk(owner, mv, access, name, descriptor, 2, 3, 4) : mv;
        }
        if (name.equals("setMemory")) {
            return descriptor.equals("(JJB)V") ? bulk(owner, mv, access, name, descriptor, -1, 0, 1)
                    : descriptor.equals("(Ljava/lang/Object;JJB)V")
                    ? bulk(owner, mv, access, name, descriptor, 0, 1, 2) : mv;
        }
        return mv;
    }

    /** A store of {@code width} bytes at base (argument {@code base}, or null when -1) and the next argument. */
    private static MethodVisitor scalar(String owner, MethodVisitor mv, int access, String name, String descriptor,
                                        int base, int width) {
        return new HookedMethod(owner, mv, access, name, descriptor) {
            @Override
            void exit() {
                if (base < 0) {
                    visitInsn(Opcodes.ACONST_NULL);
                    loadArg(0);
                } else {
                    loadArg(base);
                    loadArg(base + 1);
                }
                push(width);
                callHook("stored", "(Ljava/lang/Object;JI)V");
            }
        };
    }

    /** A copy or fill into base (argument {@code base}, or null when -1), offset and length at those arguments. */
    private static MethodVisitor bulk(String owner, MethodVisitor mv, int access, String name, String descriptor,
                                      int base, int offset, int length) {
        return new HookedMethod(owner, mv, access, name, descriptor) {
            @Override
            void exit() {
                if (base < 0) {
                    visitInsn(Opcodes.ACONST_NULL);
                } else {
                    loadArg(base);
                }
                loadArg(offset);
                loadArg(length);
                callHook("storedBulk", "(Ljava/lang/Object;JJ)V");
            }
        };
    }
}
