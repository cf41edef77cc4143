package dev.daxaudit.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The constant-pool walk answers as ASM's own reading of the pool does, on every class file of java.base (Long and
 * Double slots, method handles, dynamic constants and modules included), and a class that names an owner only inside
 * a descriptor is not parsed.
 */
class ConstantPoolScanTest {
    private static final List<String> OWNERS = List.of("java/io/FileDescriptor", "java/io/RandomAccessFile",
            "dev/daxaudit/api/DaxAudit", "jdk/internal/misc/Unsafe");
    private final ConstantPoolScan scan = new ConstantPoolScan(OWNERS.toArray(String[]::new));

    @Test
    void agreesWithAsmOnEveryClassOfJavaBase() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        int classes = 0;
        int naming = 0;
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules/java.base"))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                byte[] bytes = Files.readAllBytes(file);
                boolean expected = namesAnOwner(bytes);
                assertEquals(expected, scan.mayName(bytes), file.toString());
                classes++;
                naming += expected ? 1 : 0;
            }
        }
        assertTrue(classes > 5000, classes + " classes");
        assertTrue(naming > 10 && naming < classes / 2, naming + " of " + classes + " name an owner");
    }

    @Test
    void anOwnerOnlyInADescriptorIsNoCall() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "app/Takes", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "keep", "(Ljava/io/FileDescriptor;)V", null, null);
        mv.visitCode();
        mv.visitLdcInsn(42L); // a two-slot constant before any name
        mv.visitInsn(Opcodes.POP2);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(2, 1);
        mv.visitEnd();
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();
        assertFalse(namesAnOwner(bytes));
        assertFalse(scan.mayName(bytes));
    }

    @Test
    void bytesItCannotWalkAreLeftToTheParser() {
        assertTrue(scan.mayName("not a class".getBytes(StandardCharsets.US_ASCII)));
        byte[] truncated = new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 9, 1};
        assertTrue(scan.mayName(truncated));
    }

    /** ASM's reading: whether some CONSTANT_Utf8 of the pool is one of the owners. */
    private static boolean namesAnOwner(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        char[] buffer = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset > 0 && bytes[offset - 1] == 1) {
                int length = reader.readUnsignedShort(offset);
                String utf8 = new String(bytes, offset + 2, length, StandardCharsets.ISO_8859_1);
                if (OWNERS.contains(utf8)) {
                    return true;
                }
            }
        }
        return false;
    }
}
