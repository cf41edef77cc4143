package dev.daxaudit.agent.instrument;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A call of a {@code jdk.internal.misc.Unsafe} store in application or library code (a library built with
 * {@code --add-exports java.base/jdk.internal.misc}), and the bridge that replaces it: a private static synthetic
 * method of the calling class, {@code dax$audit$<method>}, that makes the same call and then records the store, as
 * the hooks on {@code sun.misc.Unsafe} do. {@code jdk.internal.misc.Unsafe} itself cannot be hooked (its stores are
 * intrinsics that bypass inserted code once compiled, and the JDK calls it everywhere), so its callers are rewritten,
 * as {@code FileDescriptor.sync} callers are. The site is the caller's line: site capture passes over bridge frames.
 *
 * @param method     the Unsafe method
 * @param descriptor its descriptor
 * @param base       argument index of the base object, or -1 for the absolute-address form
 * @param offset     argument index of the offset (or address)
 * @param width      bytes stored, for a scalar store
 * @param length     argument index of the byte count of a copy or fill, or -1 for a scalar store
 * @param ifTrue     a compare-and-set: recorded only when it returns true (a failed one stored nothing)
 */
record UnsafeStoreBridge(String method, String descriptor, int base, int offset, int width, int length,
                         boolean ifTrue) {
    static final String UNSAFE = "jdk/internal/misc/Unsafe";
    /** Frames of methods with this prefix are bridges, never a store's site. */
    static final String PREFIX = "dax$audit$";
    private static final String HOOKS = HookedMethod.HOOKS.getInternalName();
    private static final Pattern SCALAR = Pattern.compile(
            "(put|getAndAdd|getAndSet|getAndBitwise(?:Or|And|Xor)|compareAndSet|weakCompareAndSet)"
            + "(Boolean|Byte|Short|Char|Int|Long|Float|Double)(?:Volatile|Release|Opaque|Acquire|Plain|Unaligned)?");

    /** The bridge for a call of {@code Unsafe.method(descriptor)}, or null when it is not a store off the heap. */
    static UnsafeStoreBridge of(String method, String descriptor) {
        Type[] args = Type.getArgumentTypes(descriptor);
        Matcher scalar = SCALAR.matcher(method);
        if (scalar.matches() || method.equals("putAddress")) {
            int width = method.equals("putAddress") ? 8 : ScopedMemoryAccessInstrumentation.widthOf(scalar.group(2));
            boolean ifTrue = !method.equals("putAddress") && scalar.group(1).endsWith("ompareAndSet");
            if (ifTrue && Type.getReturnType(descriptor) != Type.BOOLEAN_TYPE) {
                return null;
            }
            if (args.length >= 3 && args[0].getSort() == Type.OBJECT && args[1] == Type.LONG_TYPE) {
                return new UnsafeStoreBridge(method, descriptor, 0, 1, width, -1, ifTrue);
            }
            if (args.length == 2 && args[0] == Type.LONG_TYPE && !ifTrue) {
                return new UnsafeStoreBridge(method, descriptor, -1, 0, width, -1, false);
            }
            return null;
        }
        return switch (method + descriptor) {
            case "copyMemory(JJJ)V" -> new UnsafeStoreBridge(method, descriptor, -1, 1, 0, 2, false);
            case "copyMemory(Ljava/lang/Object;JLjava/lang/Object;JJ)V" ->
                    new UnsafeStoreBridge(method, descriptor, 2, 3, 0, 4, false);
            case "setMemory(JJB)V" -> new UnsafeStoreBridge(method, descriptor, -1, 0, 0, 1, false);
            case "setMemory(Ljava/lang/Object;JJB)V" -> new UnsafeStoreBridge(method, descriptor, 0, 1, 0, 2, false);
            default -> null;
        };
    }

    /** The bridge's name: one per Unsafe method and descriptor in a class. */
    String name() {
        return PREFIX + method + "$" + Integer.toHexString(descriptor.hashCode());
    }

    /** The bridge takes the Unsafe instance first, then the call's own arguments. */
    String bridgeDescriptor() {
        return "(L" + UNSAFE + ";" + descriptor.substring(1);
    }

    /** Adds the bridge to the class {@code cv} is writing. */
    void emit(ClassVisitor cv) {
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, name(),
                bridgeDescriptor(), null, null);
        mv.visitCode();
        Type[] args = Type.getArgumentTypes(bridgeDescriptor());
        int[] slot = new int[args.length];
        int next = 0;
        for (int i = 0; i < args.length; i++) {
            slot[i] = next;
            mv.visitVarInsn(args[i].getOpcode(Opcodes.ILOAD), next);
            next += args[i].getSize();
        }
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, UNSAFE, method, descriptor, false);
        Type result = Type.getReturnType(descriptor);
        int resultSlot = next;
        if (result != Type.VOID_TYPE) {
            mv.visitVarInsn(result.getOpcode(Opcodes.ISTORE), resultSlot);
        }
        // The call's argument i is the bridge's argument i + 1 (the Unsafe instance comes first).
        if (ifTrue) {
            mv.visitVarInsn(Opcodes.ILOAD, resultSlot);
        }
        if (base < 0) {
            mv.visitInsn(Opcodes.ACONST_NULL);
        } else {
            mv.visitVarInsn(Opcodes.ALOAD, slot[base + 1]);
        }
        mv.visitVarInsn(Opcodes.LLOAD, slot[offset + 1]);
        if (length >= 0) {
            mv.visitVarInsn(Opcodes.LLOAD, slot[length + 1]);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "storedBulk", "(Ljava/lang/Object;JJ)V", false);
        } else {
            mv.visitIntInsn(Opcodes.BIPUSH, width);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, ifTrue ? "storedIf" : "stored",
                    ifTrue ? "(ZLjava/lang/Object;JI)V" : "(Ljava/lang/Object;JI)V", false);
        }
        if (result != Type.VOID_TYPE) {
            mv.visitVarInsn(result.getOpcode(Opcodes.ILOAD), resultSlot);
        }
        mv.visitInsn(result.getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(Math.max(next, 6), next + result.getSize());
        mv.visitEnd();
    }
}
