package dev.daxaudit.agent.instrument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The instrumented JDK class files, kept in the boot jar's directory (the user's own, mode 0700, owner checked)
 * under a name made of the agent jar's key, the class, the variant of its hooks and the checksum and length of the
 * JDK's own class file: a JVM that finds its classes there loads no ASM class and parses nothing at start-up. A new
 * JDK or agent jar simply misses. Without a directory of the user's own, nothing is cached.
 */
public final class InstrumentedClassCache {
    private static final InstrumentedClassCache NONE = new InstrumentedClassCache(null, null);
    private static final int MAGIC = 0xCAFEBABE;

    private final Path dir;
    private final String prefix;

    private InstrumentedClassCache(Path dir, String prefix) {
        this.dir = dir;
        this.prefix = prefix;
    }

    /** A cache in {@code dir} for the agent jar whose boot jar is named {@code agentKey}; null dir: no cache. */
    public static InstrumentedClassCache in(Path dir, String agentKey) {
        return dir == null ? NONE : new InstrumentedClassCache(dir, "class-" + agentKey);
    }

    /** The cached instrumented class file, or null. */
    byte[] get(String typeName, String variant, byte[] original) {
        if (dir == null) {
            return null;
        }
        Path file = file(typeName, variant, original);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            boolean classFile = bytes.length > 4 && ((bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16
                    | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff)) == MAGIC;
            return classFile ? bytes : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Keeps {@code instrumented} for the next JVM; a failure only means the next JVM instruments again. */
    void put(String typeName, String variant, byte[] original, byte[] instrumented) {
        if (dir == null) {
            return;
        }
        Path file = file(typeName, variant, original);
        Path tmp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(tmp, instrumented, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing else to do
            }
        }
    }

    private Path file(String typeName, String variant, byte[] original) {
        CRC32 crc = new CRC32();
        crc.update(original);
        return dir.resolve(prefix + "-" + typeName + "-" + variant + "-" + Long.toHexString(crc.getValue()) + "-"
                + original.length + ".class");
    }
}
