package dev.daxaudit.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicVerifier;

/**
 * Each instrumentation applied to the JDK's own class files, of JDK 17 and of JDK 25: every method of the result
 * passes ASM's verifier (stack and locals consistent, maxima right), each hook is called in exactly the methods it
 * is for, entry hooks first and exit hooks right before each return, and no other method is touched.
 */
class InstrumentationTest {
    private static final String HOOKS = HookedMethod.HOOKS.getInternalName();

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void fileChannelImpl(int jdk) throws Exception {
        Map<String, List<String>> hooks = instrument(jdk, new FileChannelImplInstrumentation());
        List<String> maps = new ArrayList<>();
        hooks.forEach((method, calls) -> {
            if (method.startsWith("map(")) {
                maps.add(method);
                assertEquals("sizeOf", calls.get(0), method);
                assertTrue(calls.subList(1, calls.size()).stream().allMatch("mapped"::equals), method + " " + calls);
            }
        });
        // JDK 17 maps to a MappedByteBuffer; 22 and later to a MemorySegment too.
        assertEquals(jdk >= 22 ? 2 : 1, maps.size(), maps.toString());
        writeback(hooks.get("force(Z)V"), "fsyncStart");
        assertTrue(only(hooks, "truncate(J)").stream().allMatch("truncated"::equals), hooks.toString());
        assertEquals(List.of("channelClosing"), hooks.get("implCloseChannel()V"));
        // The write family: offset at entry, and the bytes a relative write moved it by or an absolute one returned.
        for (String relative : List.of("write(Ljava/nio/ByteBuffer;)I", "write([Ljava/nio/ByteBuffer;II)J")) {
            assertEquals(List.of("writing", "written"), hooks.get(relative).stream().distinct().toList(), relative);
        }
        for (String absolute : List.of("write(Ljava/nio/ByteBuffer;J)I",
                "transferFrom(Ljava/nio/channels/ReadableByteChannel;JJ)J")) {
            assertEquals(List.of("writing", "writtenAt"), hooks.get(absolute).stream().distinct().toList(), absolute);
        }
        // transferTo into another file's channel: the target's offset at entry, the bytes it moved at exit.
        assertEquals(List.of("transferringTo", "transferredTo"),
                hooks.get("transferTo(JJLjava/nio/channels/WritableByteChannel;)J").stream().distinct().toList());
        assertEquals(maps.size() + 8, hooks.size(), hooks.keySet().toString());
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void namespace(int jdk) throws Exception {
        Map<String, Map<String, List<String>>> byType = new LinkedHashMap<>();
        for (TypeInstrumentation ti : FileOperationsInstrumentation.all()) {
            Map<String, List<String>> distinct = new LinkedHashMap<>(); // a hook before each of several returns
            instrument(jdk, ti).forEach((method, calls) -> distinct.put(method, calls.stream().distinct().toList()));
            byType.put(ti.typeName(), distinct);
        }
        assertEquals(Map.of("renameTo(Ljava/io/File;)Z", List.of("renaming", "renamed"), "delete()Z",
                List.of("deleted")), byType.get("java.io.File"));
        assertEquals(Map.of("move(Ljava/nio/file/Path;Ljava/nio/file/Path;[Ljava/nio/file/CopyOption;)"
                        + "Ljava/nio/file/Path;", List.of("renaming", "moved"),
                "delete(Ljava/nio/file/Path;)V", List.of("deleted"),
                "deleteIfExists(Ljava/nio/file/Path;)Z", List.of("deleted"),
                "createLink(Ljava/nio/file/Path;Ljava/nio/file/Path;)Ljava/nio/file/Path;", List.of("linked")),
                byType.get("java.nio.file.Files"));
        // RandomAccessFile: every public write on 17 (writeBytes and writeChars call its natives directly); on 25
        // also the implWrite methods they all end in.
        Map<String, List<String>> raf = new LinkedHashMap<>(Map.of("open(Ljava/lang/String;I)V",
                List.of("opening", "opened")));
        List<String> rafWrites = new ArrayList<>(List.of("write(I)V", "write([B)V", "write([BII)V",
                "writeBytes(Ljava/lang/String;)V", "writeChars(Ljava/lang/String;)V"));
        if (jdk >= 25) {
            rafWrites.addAll(List.of("implWrite(I)V", "implWriteBytes([BII)V"));
        }
        rafWrites.forEach(m -> raf.put(m, List.of("writing", "written")));
        assertEquals(raf, byType.get("java.io.RandomAccessFile"));
        assertEquals(Map.of("open(Ljava/lang/String;Z)V", List.of("opening", "opened"), "write(I)V",
                List.of("writing", "written"), "write([B)V", List.of("writing", "written"), "write([BII)V",
                List.of("writing", "written")), byType.get("java.io.FileOutputStream"));
        // every NIO channel and stream opens through this one method, whose descriptor differs by release
        Map<String, List<String>> nio = byType.get("sun.nio.fs.UnixChannelFactory");
        assertEquals(1, nio.size(), nio.toString());
        assertEquals(List.of("opening", "opened"), nio.values().iterator().next());
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void unmapper(int jdk) throws Exception {
        assertEquals(Map.of("unmap()V", List.of("unmapping")), instrument(jdk, new UnmapperInstrumentation()));
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void shutdown(int jdk) throws Exception {
        assertEquals(Map.of("runHooks()V", List.of("shutdownStarting")),
                instrument(jdk, new ShutdownInstrumentation()));
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void threadExit(int jdk) throws Exception {
        assertEquals(Map.of("exit()V", List.of("threadExiting")), instrument(jdk, new ThreadExitInstrumentation()));
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void mappedMemoryUtils(int jdk) throws Exception {
        Map<String, List<String>> hooks = instrument(jdk, new MappedMemoryUtilsInstrumentation());
        assertEquals(1, hooks.size(), hooks.toString());
        writeback(hooks.get("force(Ljava/io/FileDescriptor;JZJJ)V"), "forceStart");
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void ioUtil(int jdk) throws Exception {
        Map<String, List<String>> hooks = instrument(jdk, new IOUtilInstrumentation());
        assertEquals(1, hooks.size(), hooks.toString());
        assertTrue(hooks.keySet().iterator().next().startsWith("readIntoNativeBuffer("));
        assertTrue(hooks.values().iterator().next().stream().allMatch("readInto"::equals));
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void scopedMemoryAccess(int jdk) throws Exception {
        Map<String, List<String>> plain = instrument(jdk, new ScopedMemoryAccessInstrumentation(false));
        assertTrue(only(plain, "putLong(").stream().allMatch("stored"::equals), plain.toString());
        assertTrue(only(plain, "putByteVolatile(").stream().allMatch("stored"::equals));
        assertTrue(only(plain, "copyMemory(").stream().allMatch("storedBulk"::equals));
        assertTrue(only(plain, "setMemory(").stream().allMatch("storedBulk"::equals));
        for (String method : plain.keySet()) {
            assertTrue(!method.contains("Internal("), "a @Scoped *Internal method must never be hooked: " + method);
            assertTrue(!method.startsWith("get") || method.startsWith("getAndSet") || method.startsWith("getAndAdd")
                    || method.startsWith("getAndBitwise"), "a load is no store: " + method);
        }
        Map<String, List<String>> armed = instrument(jdk, new ScopedMemoryAccessInstrumentation(true));
        assertEquals(plain.keySet(), armed.keySet());
        for (Map.Entry<String, List<String>> e : armed.entrySet()) {
            assertEquals("storing", e.getValue().get(0), e.getKey());
        }
    }

    /**
     * A writeback method: started at entry, ended before each return (completed) and once more in the catch-all
     * handler that sees it throw (not completed); {@link #instrument} checked the returns.
     */
    private static void writeback(List<String> calls, String start) {
        assertEquals(start, calls.get(0), calls.toString());
        assertTrue(calls.size() >= 3, "an end at a return and one where it throws: " + calls);
        assertTrue(calls.subList(1, calls.size()).stream().allMatch("writebackEnd"::equals), calls.toString());
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void sunMiscUnsafe(int jdk) throws Exception {
        Map<String, List<String>> hooks = instrument(jdk, new SunMiscUnsafeInstrumentation(), "jdk.unsupported");
        assertEquals(List.of("stored"), hooks.get("putLong(JJ)V"), "the raw-address store Netty and Agrona make");
        assertEquals(List.of("stored"), hooks.get("putLong(Ljava/lang/Object;JJ)V"));
        assertEquals(List.of("stored"), hooks.get("putOrderedLong(Ljava/lang/Object;JJ)V"));
        assertEquals(List.of("stored"), hooks.get("putIntVolatile(Ljava/lang/Object;JI)V"));
        assertEquals(List.of("stored"), hooks.get("putAddress(JJ)V"));
        assertEquals(List.of("storedBulk"), hooks.get("copyMemory(JJJ)V"));
        assertEquals(List.of("storedBulk"), hooks.get("copyMemory(Ljava/lang/Object;JLjava/lang/Object;JJ)V"));
        assertEquals(List.of("storedBulk"), hooks.get("setMemory(JJB)V"));
        assertEquals(List.of("storedBulk"), hooks.get("setMemory(Ljava/lang/Object;JJB)V"));
        for (String method : hooks.keySet()) {
            String name = method.substring(0, method.indexOf('('));
            assertTrue(!name.contains("Object") && (!name.startsWith("get") || name.startsWith("getAnd")),
                    "loads and reference stores are never hooked: " + method);
        }
        assertEquals(null, hooks.get("putObject(Ljava/lang/Object;JLjava/lang/Object;)V"));
    }

    /** The hook calls of the one method whose name and descriptor start with {@code prefix}. */
    private static List<String> only(Map<String, List<String>> hooks, String prefix) {
        List<String> found = null;
        for (Map.Entry<String, List<String>> e : hooks.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                if (found != null) {
                    fail("more than one method " + prefix + "...: " + hooks.keySet());
                }
                found = e.getValue();
            }
        }
        if (found == null) {
            fail("no hooked method " + prefix + "...: " + hooks.keySet());
        }
        return found;
    }

    /**
     * Instruments the class of {@code jdk}, checks every method with the verifier and that each exit hook comes
     * right before a return, and returns the hook calls of each method that has any, by name and descriptor.
     */
    static Map<String, List<String>> instrument(int jdk, TypeInstrumentation ti) throws Exception {
        return instrument(jdk, ti, "java.base");
    }

    static Map<String, List<String>> instrument(int jdk, TypeInstrumentation ti, String module) throws Exception {
        byte[] original;
        try (JdkClassFiles classes = JdkClassFiles.of(jdk)) {
            original = classes.classFile(module, ti.typeName());
        }
        ClassNode before = read(original);
        ClassNode after = read(ti.instrument(original));
        assertEquals(before.methods.size(), after.methods.size(), "retransformation may add no method");
        Map<String, List<String>> hooks = new LinkedHashMap<>();
        for (MethodNode m : after.methods) {
            try {
                new Analyzer<>(new BasicVerifier()).analyze(after.name, m);
            } catch (AnalyzerException e) {
                fail(ti.typeName() + "." + m.name + m.desc + " does not verify on JDK " + jdk + ": " + e.getMessage());
            }
            List<String> calls = new ArrayList<>();
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode call && call.owner.equals(HOOKS)) {
                    calls.add(call.name);
                }
                if (isReturn(insn) && !calls.isEmpty() && endsWithExitHook(calls)) {
                    AbstractInsnNode previous = previousReal(insn);
                    assertTrue(previous instanceof MethodInsnNode call && call.owner.equals(HOOKS),
                            m.name + m.desc + ": a return not preceded by its exit hook");
                }
            }
            if (calls.contains("writebackEnd")) {
                // The handler that ends the writeback when the method throws: last, so the method's own
                // handlers keep precedence, and catching everything.
                assertTrue(m.tryCatchBlocks.get(m.tryCatchBlocks.size() - 1).type == null, m.name + m.desc);
            }
            if (!calls.isEmpty()) {
                hooks.put(m.name + m.desc, calls);
            }
        }
        return hooks;
    }

    private static boolean endsWithExitHook(List<String> calls) {
        String last = calls.get(calls.size() - 1);
        return !last.equals("sizeOf") && !last.equals("storing") && !last.equals("unmapping")
                && !last.equals("channelClosing") && !last.equals("shutdownStarting") && !last.equals("threadExiting");
    }

    private static boolean isReturn(AbstractInsnNode insn) {
        return insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN;
    }

    private static AbstractInsnNode previousReal(AbstractInsnNode insn) {
        AbstractInsnNode p = insn.getPrevious();
        while (p != null && p.getOpcode() < 0) {
            p = p.getPrevious();
        }
        return p;
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node;
    }
}
