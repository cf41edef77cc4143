package dev.daxaudit.agent.instrument;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * {@code jdk.internal.misc.ScopedMemoryAccess}: the one place every Java-level off-heap store goes through on
 * JDK 17 and 25 (direct and mapped buffers, their views, byteBufferViewVarHandle, and on 22+ memory segments).
 * Hooks go on the public wrappers, never on the {@code @Scoped *Internal} methods (the VM scans those frames
 * when a shared arena closes). Arguments are (session, base, offset, ...) for single stores, base and offset of
 * the destination at 4 and 5 for copies. A null base means an absolute address: anything else is a heap array.
 * The exit hook records the store after it landed. Once a truncate has left a mapping reaching beyond end of file,
 * the class is instrumented again with {@code armed}: an entry hook then also sees each store before it happens,
 * so a store there (H2) is recorded before it faults with SIGBUS. Until then the store fast path pays nothing for it.
 */
public final class ScopedMemoryAccessInstrumentation extends TypeInstrumentation {
    private static final Pattern STORE = Pattern.compile(
            "(?:put|compareAndSet|compareAndExchange|weakCompareAndSet|getAndSet|getAndAdd|getAndBitwise(?:Or|And|Xor))"
            + "(Boolean|Byte|Short|Char|Int|Float|Long|Double)(?:Unaligned|Volatile|Release|Opaque|Acquire|Plain)?");
    private static final Pattern COPY = Pattern.compile("copyMemory|copySwapMemory");
    private static final String FILL = "setMemory";
    private static final Type OBJECT = Type.getType(Object.class);

    private final boolean armed;

    public ScopedMemoryAccessInstrumentation(boolean armed) {
        this.armed = armed;
    }

    @Override
    public String typeName() {
        return "jdk.internal.misc.ScopedMemoryAccess";
    }

    @Override
    MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        if ((access & Opcodes.ACC_PUBLIC) == 0 || (access & Opcodes.ACC_STATIC) != 0) {
            return mv;
        }
        Matcher store = STORE.matcher(name);
        if (store.matches()) {
            return hooked(owner, mv, access, name, descriptor, 1, widthOf(store.group(1)), -1);
        }
        if (COPY.matcher(name).matches()) {
            return hooked(owner, mv, access, name, descriptor, 4, 0, 6);
        }
        if (name.equals(FILL)) {
            return hooked(owner, mv, access, name, descriptor, 1, 0, 3);
        }
        return mv;
    }

    /**
     * Hooks a store whose destination base and offset are arguments {@code base} and base + 1, and whose length
     * is {@code width} bytes or, for bulk stores, argument {@code lengthArg}. A method whose arguments are not of
     * those types (a JDK this code does not know) is left alone.
     */
    private MethodVisitor hooked(String owner, MethodVisitor mv, int access, String name, String descriptor,
                                 int base, int width, int lengthArg) {
        Type[] args = Type.getArgumentTypes(descriptor);
        if (args.length <= Math.max(base + 1, lengthArg) || !args[base].equals(OBJECT)
                || args[base + 1] != Type.LONG_TYPE || lengthArg >= 0 && args[lengthArg] != Type.LONG_TYPE) {
            return mv;
        }
        return new HookedMethod(owner, mv, access, name, descriptor) {
            @Override
            void enter() {
                if (armed) {
                    destination();
                    if (lengthArg < 0) {
                        push((long) width);
                    }
                    callHook("storing", "(Ljava/lang/Object;JJ)V");
                }
            }

            @Override
            void exit() {
                destination();
                if (lengthArg < 0) {
                    push(width);
                    callHook("stored", "(Ljava/lang/Object;JI)V");
                } else {
                    callHook("storedBulk", "(Ljava/lang/Object;JJ)V");
                }
            }

            /** Base and offset of the destination, and for bulk stores their length. */
            private void destination() {
                loadArg(base);
                loadArg(base + 1);
                if (lengthArg >= 0) {
                    loadArg(lengthArg);
                }
            }
        };
    }

    static int widthOf(String type) {
        switch (type) {
            case "Boolean": case "Byte":
                return 1;
            case "Short": case "Char":
                return 2;
            case "Int": case "Float":
                return 4;
            default:
                return 8;
        }
    }
}
