package dev.daxaudit.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instrumented classes kept between JVMs: found by the JDK's own bytes and the variant, never anything else. */
class InstrumentedClassCacheTest {
    private static final byte[] ORIGINAL = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 1};
    private static final byte[] INSTRUMENTED = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 2};

    @TempDir
    Path dir;

    @Test
    void aClassPutIsFoundByTheSameBytesAndVariantOnly() {
        InstrumentedClassCache cache = InstrumentedClassCache.in(dir, "boot-1-2");
        assertNull(cache.get("a.B", "plain", ORIGINAL));
        cache.put("a.B", "plain", ORIGINAL, INSTRUMENTED);
        assertArrayEquals(INSTRUMENTED, cache.get("a.B", "plain", ORIGINAL));
        assertNull(cache.get("a.B", "armed", ORIGINAL));
        assertNull(cache.get("a.B", "plain", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 9}));
        assertNull(InstrumentedClassCache.in(dir, "boot-3-4").get("a.B", "plain", ORIGINAL), "another agent jar");
    }

    @Test
    void somethingThatIsNotAClassFileIsAMiss() throws Exception {
        InstrumentedClassCache cache = InstrumentedClassCache.in(dir, "boot-1-2");
        cache.put("a.B", "plain", ORIGINAL, INSTRUMENTED);
        try (var files = Files.list(dir)) {
            Files.write(files.findFirst().orElseThrow(), new byte[] {1, 2, 3, 4, 5});
        }
        assertNull(cache.get("a.B", "plain", ORIGINAL));
    }

    /** A cached class damaged in one byte (its version, say) is a miss, and the next put repairs it. */
    @Test
    void aDamagedClassFileIsAMissAndIsWrittenAgain() throws Exception {
        InstrumentedClassCache cache = InstrumentedClassCache.in(dir, "boot-1-2");
        cache.put("a.B", "plain", ORIGINAL, INSTRUMENTED);
        Path file;
        try (var files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[7] = 69; // another class file version
        Files.write(file, bytes);
        assertNull(cache.get("a.B", "plain", ORIGINAL));
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3)); // cut short
        assertNull(cache.get("a.B", "plain", ORIGINAL));
        cache.put("a.B", "plain", ORIGINAL, INSTRUMENTED);
        assertArrayEquals(INSTRUMENTED, cache.get("a.B", "plain", ORIGINAL));
    }

    @Test
    void withoutADirectoryNothingIsCached() {
        InstrumentedClassCache none = InstrumentedClassCache.in(null, null);
        none.put("a.B", "plain", ORIGINAL, INSTRUMENTED);
        assertNull(none.get("a.B", "plain", ORIGINAL));
    }
}
