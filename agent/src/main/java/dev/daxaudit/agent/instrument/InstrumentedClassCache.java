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
 * JDK or agent jar simply misses. Without a directory of the user's own, nothing is cached. Each file ends with the
 * CRC-32 of the class it holds: a damaged file (a disk error, a write cut short, a hand edit) is a miss and is
 * written again, never handed to the JVM, where a bad class file of java.base would fail every run.
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
            byte[] stored = Files.readAllBytes(file);
            if (stored.length <= 12) {
                return null;
            }
            byte[] bytes = java.util.Arrays.copyOf(stored, stored.length - 8);
            long recorded = java.nio.ByteBuffer.wrap(stored, stored.length - 8, 8).getLong();
            boolean classFile = ((bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8
                    | (bytes[3] & 0xff)) == MAGIC;
            return classFile && crc(bytes) == recorded ? bytes : null;
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
            byte[] stored = java.util.Arrays.copyOf(instrumented, instrumented.length + 8);
            java.nio.ByteBuffer.wrap(stored, instrumented.length, 8).putLong(crc(instrumented));
            Files.write(tmp, stored, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing else to do
            }
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private Path file(String typeName, String variant, byte[] original) {
        CRC32 crc = new CRC32();
        crc.update(original);
        return dir.resolve(prefix + "-" + typeName + "-" + variant + "-" + Long.toHexString(crc.getValue()) + "-"
                + original.length + ".class");
    }
}
