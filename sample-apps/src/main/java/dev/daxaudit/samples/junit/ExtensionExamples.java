package dev.daxaudit.samples.junit;

import dev.daxaudit.junit.DaxAudit;
import dev.daxaudit.junit.ExpectUnsynced;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests audited with {@link DaxAudit}, run by the integration tests through JUnit's console launcher: each one's
 * name says whether the extension should let it pass.
 */
@DaxAudit
class ExtensionExamples {
    private static Path dir;

    @BeforeAll
    static void storesBeforeAnyTest() throws Exception {
        dir = Files.createTempDirectory("extension-examples");
        write("before-all.dat", 1, false); // not stored by any test: never counted against one
    }

    static void write(String name, int pages, boolean force) throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096);
            for (int page = 0; page < pages; page++) {
                map.putLong(page * 4096, page + 1); // site:examplesWrite
            }
            if (force) {
                map.force();
            }
        }
    }

    @Test
    void passesForcedWrite() throws Exception {
        write("forced.dat", 2, true);
    }

    @Test
    void failsUnforcedWrite() throws Exception {
        write("unforced.dat", 2, false);
    }

    @Test
    @ExpectUnsynced(file = "*.crash", pages = 2)
    void passesExpectedUnsynced() throws Exception {
        write("torn.crash", 2, false);
    }

    @Test
    @ExpectUnsynced(file = "*.none")
    void failsExpectedButAbsent() throws Exception {
        write("other.dat", 1, true);
    }

    @Test
    @ExpectUnsynced(file = "*.two", pages = 1)
    void failsWrongPageCount() throws Exception {
        write("pages.two", 2, false);
    }

    @Test
    void passesWithoutStores() {
    }
}
