package example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.junit.CrashTest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

class ThreeRecordsCrashTest {
    /** Recovery: the records there are 1, 2, 3 in order, then zeros. */
    @CrashTest(workload = ThreeRecords.class)
    void recordsAreAPrefix(Path state) throws Exception {
        Path file = state.resolve("records.log");
        if (!Files.exists(file)) {
            return;
        }
        ByteBuffer records = ByteBuffer.wrap(Files.readAllBytes(file));
        long expected = 1;
        while (records.remaining() >= 8) {
            long value = records.getLong();
            if (value == 0) {
                break;
            }
            assertTrue(value == expected++, "record " + value + " out of order");
        }
    }
}
