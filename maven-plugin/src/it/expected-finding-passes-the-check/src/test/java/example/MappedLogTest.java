package example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.junit.DaxAudit;
import dev.daxaudit.junit.ExpectUnsynced;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DaxAudit
class MappedLogTest {
    @TempDir
    Path dir;

    /** A test of what happens without the force: the unsynced page is the point, and declared. */
    @Test
    @ExpectUnsynced(file = "*records.log", pages = 1)
    void leavesARecordUnsyncedOnPurpose() throws Exception {
        try (MappedLog log = new MappedLog(dir.resolve("records.log"))) {
            log.append(42L);
        }
        assertTrue(Files.size(dir.resolve("records.log")) > 0);
    }
}
