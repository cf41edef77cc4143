package dev.daxaudit.core.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.daxaudit.core.FileId;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A descriptor's file is asked of fstat once, then remembered: the answer is the inode's, whatever becomes of the
 * name, and a descriptor number the kernel gives again after a close names the new file, not the old one.
 */
class FileIdsTest {
    @TempDir
    Path tmp;

    @Test
    void aDescriptorNumberReusedAfterACloseNamesTheNewFile() throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), "a");
        Path b = Files.writeString(tmp.resolve("b"), "b");
        FileId idA;
        try (RandomAccessFile fa = new RandomAccessFile(a.toFile(), "r")) {
            idA = FileIds.of(fa.getFD());
            assertEquals(FileId.of(a.toString()), idA);
            assertEquals(idA, FileIds.of(fa.getFD()), "asked again: the same answer");
        }
        try (RandomAccessFile fb = new RandomAccessFile(b.toFile(), "r")) {
            FileId idB = FileIds.of(fb.getFD()); // most often the number a had
            assertEquals(FileId.of(b.toString()), idB);
            assertNotEquals(idA, idB);
        }
    }

    @Test
    void aRenamedOrUnlinkedFileKeepsItsIdOnItsOpenDescriptor() throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), "a");
        try (RandomAccessFile fa = new RandomAccessFile(a.toFile(), "rw")) {
            FileId before = FileIds.of(fa.getFD());
            Path moved = Files.move(a, tmp.resolve("moved"));
            assertEquals(before, FileIds.of(fa.getFD()));
            assertEquals(FileId.of(moved.toString()), FileIds.of(fa.getFD()));
            Files.delete(moved);
            assertEquals(before, FileIds.of(fa.getFD()));
        }
    }
}
