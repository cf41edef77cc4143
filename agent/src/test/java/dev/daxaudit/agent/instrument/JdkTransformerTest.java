package dev.daxaudit.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.DaxEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transformer instruments the JDK classes it was given, loaded by the boot loader, and nothing else; a class
 * it cannot instrument is left as the JDK has it and counted, never thrown into the JVM.
 */
class JdkTransformerTest {
    private final DaxEngine engine = newEngine();
    private final JdkTransformer transformer = new JdkTransformer(engine,
            List.of(new UnmapperInstrumentation()), InstrumentedClassCache.in(null, null));

    private static DaxEngine newEngine() {
        try {
            return new DaxEngine(AgentOptions.parse(""), System::nanoTime);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void instrumentsItsJdkClassesOnlyWhenTheBootLoaderLoadsThem() throws Exception {
        byte[] unmapper;
        try (JdkClassFiles jdk = JdkClassFiles.of(Runtime.version().feature())) {
            unmapper = jdk.classFile("sun.nio.ch.FileChannelImpl$Unmapper");
        }
        String name = "sun/nio/ch/FileChannelImpl$Unmapper";
        assertNull(transformer.transform(null, getClass().getClassLoader(), name, null, null, unmapper));
        assertNull(transformer.transform(null, null, "sun/nio/ch/IOUtil", null, null, unmapper));
        assertNull(transformer.transform(null, null, null, null, null, unmapper));
        byte[] instrumented = transformer.transform(null, null, name, null, null, unmapper);
        assertNotNull(instrumented);
        assertArrayEquals(new UnmapperInstrumentation().instrument(unmapper), instrumented);
        assertEquals(List.of("sun.nio.ch.FileChannelImpl$Unmapper"), engine.report("test").hookedTypes());
        assertEquals(0, engine.errors().count());
    }

    @Test
    void aClassItCannotReadIsLeftAloneAndCounted() {
        assertNull(transformer.transform(null, null, "sun/nio/ch/FileChannelImpl$Unmapper", null, null,
                new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1}));
        assertEquals(1, engine.errors().count());
        assertEquals(List.of(), engine.report("test").hookedTypes());
    }
}
