package example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.junit.DaxAudit;
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
        assertTrue(Files.size(dir.resolve("records.log")) > 0);
    }
}
