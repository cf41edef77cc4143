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

    /**
     * Calls of jdk.internal.misc.Unsafe stores go to a bridge added to the calling class, one per method and
     * descriptor, which makes the same call and records the store; loads, reference stores and compare-and-exchange
     * (whose success the bridge cannot tell) stay as they are. The class still verifies with its bridges.
     */
    @Test
    void internalUnsafeStoresGoThroughBridgesOfTheCallingClass() throws Exception {
        String unsafe = "jdk/internal/misc/Unsafe";
        String[][] called = {
            {"putLong", "(JJ)V"}, {"putLong", "(JJ)V"}, {"putIntRelease", "(Ljava/lang/Object;JI)V"},
            {"compareAndSetLong", "(Ljava/lang/Object;JJJ)Z"}, {"setMemory", "(JJB)V"},
            {"copyMemory", "(Ljava/lang/Object;JLjava/lang/Object;JJ)V"}, {"getLong", "(J)J"},
            {"putReference", "(Ljava/lang/Object;JLjava/lang/Object;)V"},
            {"compareAndExchangeLong", "(Ljava/lang/Object;JJJ)J"},
        };
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "app/Raw", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "()V", null, null);
        mv.visitCode();
        for (String[] c : called) {
            // Arguments are never evaluated: the class is only transformed and read back.
            mv.visitInsn(Opcodes.ACONST_NULL);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, unsafe, c[0], c[1], false);
        }
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(1, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] rewritten = rewriter.transform(null, app, "app/Raw", null, null, cw.toByteArray());
        assertNotNull(rewritten);
        ClassNode node = new ClassNode();
        new ClassReader(rewritten).accept(node, 0);
        List<String> bridges = new ArrayList<>();
        for (MethodNode m : node.methods) {
            if (m.name.startsWith("dax$audit$")) {
                bridges.add(m.name.substring(0, m.name.lastIndexOf('$')) + m.desc);
                assertEquals(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, m.access);
            }
        }
        assertEquals(List.of("dax$audit$putLong(L" + unsafe + ";JJ)V",
                "dax$audit$putIntRelease(L" + unsafe + ";Ljava/lang/Object;JI)V",
                "dax$audit$compareAndSetLong(L" + unsafe + ";Ljava/lang/Object;JJJ)Z",
                "dax$audit$setMemory(L" + unsafe + ";JJB)V",
                "dax$audit$copyMemory(L" + unsafe + ";Ljava/lang/Object;JLjava/lang/Object;JJ)V"), bridges);
        List<String> calls = calls(rewritten);
        assertEquals(List.of("INVOKEVIRTUAL " + unsafe + ".getLong(J)J",
                "INVOKEVIRTUAL " + unsafe + ".putReference(Ljava/lang/Object;JLjava/lang/Object;)V",
                "INVOKEVIRTUAL " + unsafe + ".compareAndExchangeLong(Ljava/lang/Object;JJJ)J"),
                calls.subList(6, 9));
        assertEquals(true, calls.contains("INVOKESTATIC dev/daxaudit/core/hooks/Hooks.storedIf(ZLjava/lang/Object;JI)V"),
                calls.toString());
        // Every bridge passes ASM's analyzer (types, stack and locals within their maxima); the calling method here
        // is not meant to run.
        for (MethodNode m : node.methods) {
            if (!m.name.startsWith("dax$audit$")) {
                continue;
            }
            new org.objectweb.asm.tree.analysis.Analyzer<>(new org.objectweb.asm.tree.analysis.BasicVerifier())
                    .analyze(node.name, m);
        }
        assertEquals(0, errors.count());
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
