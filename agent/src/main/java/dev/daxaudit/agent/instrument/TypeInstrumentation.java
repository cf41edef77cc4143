package dev.daxaudit.agent.instrument;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * One instrumented JDK type: which type, and the calls into {@code dev.daxaudit.core.hooks.Hooks} that go
 * into which of its methods. The JDK classes are already loaded when the agent starts, so they are changed by
 * retransformation: no fields or methods are added, only calls at method entry and exit. Raw ASM, as JaCoCo does,
 * rather than a code-generation library: every JVM the agent starts in pays for what it loads at start-up.
 */
public abstract class TypeInstrumentation {
    /** The JDK class, by binary name. */
    public abstract String typeName();

    /**
     * The method {@code name} of class {@code owner} (internal name), hooked: a {@link HookedMethod} writing to
     * {@code next}, or {@code next} itself for a method that gets no hook.
     */
    abstract MethodVisitor hook(String owner, MethodVisitor next, int access, String name, String descriptor);

    private ClassVisitor hooks(ClassVisitor next) {
        return new ClassVisitor(Opcodes.ASM9, next) {
            private String owner;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                // A bridge only calls the method it bridges, which gets the hook: hooking both would report the
                // event twice (FileChannelImpl's truncate(J) bridge for SeekableByteChannel did).
                return (access & Opcodes.ACC_BRIDGE) != 0 ? mv : hook(owner, mv, access, name, descriptor);
            }
        };
    }

    /** The class file {@code original} with the hooks added. */
    public byte[] instrument(byte[] original) {
        ClassReader reader = new ClassReader(original);
        // COMPUTE_MAXS only: the inserted code adds stack and locals but no branch except the one handler, whose
        // frame HookedMethod writes itself; COMPUTE_FRAMES would need the class hierarchy, loading classes here.
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(hooks(writer), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }
}
