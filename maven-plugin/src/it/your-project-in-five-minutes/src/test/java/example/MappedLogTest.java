package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxaudit.junit.DaxAudit;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DaxAudit
class MappedLogTest {
    @TempDir
    Path dir;

    @Test
    void appendsARecord() throws Exception {
        try (MappedLog log = new MappedLog(dir.resolve("records.log"))) {
            log.append(42L);
            log.commit();
        }
        assertEquals(42L, ByteBuffer.wrap(Files.readAllBytes(dir.resolve("records.log"))).getLong());
    }
}
