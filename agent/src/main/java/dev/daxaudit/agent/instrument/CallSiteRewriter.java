package dev.daxaudit.agent.instrument;

import dev.daxaudit.core.InternalErrors;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites application calls of {@code FileDescriptor.sync()} and {@code RandomAccessFile.setLength(long)}, and of
 * the API jar's {@code DaxAudit.crashPoint(String)} (a no-op without the agent), into calls of
 * {@code dev.daxaudit.core.hooks.CallSites}, and calls of {@code jdk.internal.misc.Unsafe} stores into bridges that
 * record them ({@link UnsafeStoreBridge}). Both are native on JDK 17, where no advice can reach
 * them; rewriting call sites works the same on every JDK, so it is the one way used everywhere. One pass over the
 * constant pool skips, without parsing, every class that cannot contain such a call.
 */
public final class CallSiteRewriter implements ClassFileTransformer {
    private static final String CALL_SITES = "dev/daxaudit/core/hooks/CallSites";
    /** The optional API jar's class: {@code DaxAudit.crashPoint(label)} marks a crash point. */
    private static final String API = "dev/daxaudit/api/DaxAudit";
    /** The owners of the calls rewritten: a class whose constant pool names none of them has no such call. */
    private static final ConstantPoolScan OWNERS = new ConstantPoolScan(
            "java/io/FileDescriptor", "java/io/RandomAccessFile", API, UnsafeStoreBridge.UNSAFE);

    private final Instrumentation instrumentation;
    private final Module bootModule;
    private final InternalErrors errors;

    public CallSiteRewriter(Instrumentation instrumentation, Module bootModule, InternalErrors errors) {
        this.instrumentation = instrumentation;
        this.bootModule = bootModule;
        this.errors = errors;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || className == null
                || className.startsWith("dev/daxaudit/agent/") || className.startsWith("dev/daxaudit/tools/")
                || !OWNERS.mayName(bytes)) {
            return null;
        }
        try {
            return rewrite(module, bytes);
        } catch (Throwable t) {
            errors.record("rewrite " + className, t);
            return null;
        }
    }

    private byte[] rewrite(Module module, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        Rewriter rewriter = new Rewriter(writer);
        reader.accept(rewriter, 0);
        if (!rewriter.changed) {
            return null;
        }
        if (module != null && module.isNamed() && !module.canRead(bootModule)) {
            instrumentation.redefineModule(module, Set.of(bootModule), Map.of(), Map.of(), Set.of(), Map.of());
        }
        return writer.toByteArray();
    }

    private static final class Rewriter extends ClassVisitor {
        boolean changed;
        private String className;
        /** Whether bridges can be added: not to an interface older than class file 52 (no private methods). */
        private boolean bridges;
        private boolean isInterface;
        private final java.util.Map<String, UnsafeStoreBridge> added = new java.util.LinkedHashMap<>();

        Rewriter(ClassVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            className = name;
            isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
            bridges = !isInterface || (version & 0xFFFF) >= Opcodes.V1_8;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public void visitEnd() {
            for (UnsafeStoreBridge bridge : added.values()) {
                bridge.emit(cv);
            }
            super.visitEnd();
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                    if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/io/FileDescriptor")
                            && method.equals("sync") && desc.equals("()V")) {
                        changed = true;
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, CALL_SITES, "sync",
                                "(Ljava/io/FileDescriptor;)V", false);
                    } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/io/RandomAccessFile")
                            && method.equals("setLength") && desc.equals("(J)V")) {
                        changed = true;
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, CALL_SITES, "setLength",
                                "(Ljava/io/RandomAccessFile;J)V", false);
                    } else if (opcode == Opcodes.INVOKESTATIC && owner.equals(API) && method.equals("crashPoint")
                            && desc.equals("(Ljava/lang/String;)V")) {
                        changed = true;
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, CALL_SITES, "crashPoint", desc, false);
                    } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals(UnsafeStoreBridge.UNSAFE) && bridges
                            && UnsafeStoreBridge.of(method, desc) != null) {
                        changed = true;
                        UnsafeStoreBridge bridge = added.computeIfAbsent(method + desc,
                                k -> UnsafeStoreBridge.of(method, desc));
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, className, bridge.name(),
                                bridge.bridgeDescriptor(), isInterface);
                    } else {
                        super.visitMethodInsn(opcode, owner, method, desc, itf);
                    }
                }
            };
        }
    }
}
