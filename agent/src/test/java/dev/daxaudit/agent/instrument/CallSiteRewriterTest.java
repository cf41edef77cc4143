package dev.daxaudit.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.daxaudit.core.InternalErrors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Application classes that call {@code FileDescriptor.sync}, {@code RandomAccessFile.setLength} or
 * {@code DaxAudit.crashPoint} get those calls redirected to the hooks' {@code CallSites}, and only those; classes of
 * the JDK, of the platform loader and of dax-audit itself are never touched.
 */
class CallSiteRewriterTest {
    private static final String CALL_SITES = "dev/daxaudit/core/hooks/CallSites";
    private final InternalErrors errors = new InternalErrors();
    private final CallSiteRewriter rewriter = new CallSiteRewriter(null, null, errors);
    private final ClassLoader app = getClass().getClassLoader();

    @Test
    void redirectsTheThreeCallsAndNothingElse() {
        byte[] rewritten = rewriter.transform(null, app, "app/Store", null, null, application("app/Store"));
        assertNotNull(rewritten);
        assertEquals(List.of(
                "INVOKESTATIC " + CALL_SITES + ".sync(Ljava/io/FileDescriptor;)V",
                "INVOKESTATIC " + CALL_SITES + ".setLength(Ljava/io/RandomAccessFile;J)V",
                "INVOKESTATIC " + CALL_SITES + ".crashPoint(Ljava/lang/String;)V",
                "INVOKEVIRTUAL java/io/FileDescriptor.valid()Z"), calls(rewritten));
        assertEquals(0, errors.count());
    }

    @Test
    void leavesTheJdkTheAgentAndClassesWithoutSuchCallsAlone() {
        byte[] bytes = application("app/Store");
        assertNull(rewriter.transform(null, null, "app/Store", null, null, bytes));
        assertNull(rewriter.transform(null, ClassLoader.getPlatformClassLoader(), "app/Store", null, null, bytes));
        assertNull(rewriter.transform(null, app, "dev/daxaudit/agent/X", null, null, bytes));
        assertNull(rewriter.transform(null, app, "dev/daxaudit/tools/X", null, null, bytes));
        assertNull(rewriter.transform(null, app, "app/Plain", null, null, plain("app/Plain")));
        assertEquals(0, errors.count());
    }

    @Test
    void aClassItCannotParseIsLeftAloneAndCounted() {
        byte[] broken = "....java/io/FileDescriptor....".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertNull(rewriter.transform(null, app, "app/Broken", null, null, broken));
        assertEquals(1, errors.count());
    }

    /** A class whose one method calls fd.sync(), raf.setLength(0), DaxAudit.crashPoint("x") and fd.valid(). */
    private static byte[] application(String name) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run",
                "(Ljava/io/FileDescriptor;Ljava/io/RandomAccessFile;)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/io/FileDescriptor", "sync", "()V", false);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitInsn(Opcodes.LCONST_0);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/io/RandomAccessFile", "setLength", "(J)V", false);
        mv.visitLdcInsn("x");
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/daxaudit/api/DaxAudit", "crashPoint", "(Ljava/lang/String;)V",
                false);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/io/FileDescriptor", "valid", "()Z", false);
        mv.visitInsn(Opcodes.POP);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static byte[] plain(String name) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static List<String> calls(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        List<String> out = new ArrayList<>();
        for (MethodNode m : node.methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode call) {
                    out.add((call.getOpcode() == Opcodes.INVOKESTATIC ? "INVOKESTATIC " : "INVOKEVIRTUAL ")
                            + call.owner + "." + call.name + call.desc);
                }
            }
        }
        return out;
    }
}
