package dev.daxaudit.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.FileId;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashJournalReader.Point;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file is in crash states from the moment it exists, not only from its first map or write (its first sight): a
 * file named before the run with its content then, one the program creates from its creation, empty, with the size
 * its own syncs made durable. Found by replaying ext4 from a dm-log-writes log in the guest (GuestCrashIT).
 */
class FirstSightTest {
    @TempDir
    Path tmp;

    @Test
    void aCreatedFileIsInStatesFromItsCreationWithTheSizeItsSyncMadeDurable() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        DaxEngine engine = JournaledStates.engine(tmp);
        Path wal = Files.createFile(data.resolve("wal.dat"));
        engine.vfs().namespace('C', wal.toString(), null);
        try (RandomAccessFile file = new RandomAccessFile(wal.toFile(), "rw")) {
            file.setLength(4 * 4096); // never written, never mapped
        }
        engine.vfs().finishPathSync(engine.vfs().startPathSync(FileId.of(wal.toString()), wal.toString(), false), true);
        engine.crashPoint("synced");
        engine.report("exit");

        Journal journal = CrashJournalReader.read(tmp.resolve("crash.journal"), Persistence.EXT4, data);
        assertEquals(1, journal.files().size(), "the created file is journaled at its creation");
        Point created = journal.points().get(0);
        assertEquals("create", created.kind());
        assertEquals(0, created.durable().get(0).size(), "created empty");
        Path state = JournaledStates.nothingPersisted(journal, JournaledStates.point(journal, "synced"), data, tmp.resolve("state"));
        // ext4: the fsync of the new file committed its creation, and persisted its size.
        assertEquals(4 * 4096, Files.size(state.resolve("wal.dat")));
    }

    @Test
    void aFileNamedBeforeTheRunIsInStatesBeforeItsFirstWrite() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path manifest = data.resolve("MANIFEST");
        byte[] before = new byte[4096 + 10];
        before[0] = 7;
        Files.write(manifest, before);
        Path log = Files.createFile(data.resolve("log.dat"));
        DaxEngine engine = JournaledStates.engine(tmp);
        FileId logId = FileId.of(log.toString());
        engine.vfs().writing(logId, log.toString());
        engine.vfs().written(logId, 0, 4096);
        engine.crashPoint("before-manifest-write");
        FileId manifestId = FileId.of(manifest.toString());
        engine.vfs().writing(manifestId, manifest.toString());
        engine.vfs().written(manifestId, 0, 4096);
        engine.crashPoint("after-manifest-write");
        engine.report("exit");

        Journal journal = CrashJournalReader.read(tmp.resolve("crash.journal"), Persistence.EXT4, data);
        Point earlier = JournaledStates.point(journal, "before-manifest-write");
        Path state = JournaledStates.nothingPersisted(journal, earlier, data, tmp.resolve("state"));
        assertTrue(Files.exists(state.resolve("MANIFEST")), "a file named before the run is there before the program "
                + "first writes it");
        assertArrayEquals(before, Files.readAllBytes(state.resolve("MANIFEST")));
        assertFalse(Files.exists(state.resolve("other")));
    }

    /**
     * A hard link gives the file a second name: a state that keeps the link has one inode under both (a check that
     * writes through one name sees it through the other), and the unlink of the first name leaves the file under
     * the second, still the same journaled file, not a new one.
     */
    @Test
    void aHardLinkedFileIsOneFileUnderBothNamesAndOutlivesTheUnlinkOfItsFirst() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path tmpName = data.resolve("seg.tmp");
        byte[] content = new byte[4096];
        content[0] = 42;
        Files.write(tmpName, content);
        DaxEngine engine = JournaledStates.engine(tmp);
        FileId id = FileId.of(tmpName.toString());
        engine.vfs().writing(id, tmpName.toString());
        engine.vfs().written(id, 0, 4096);
        Path segment = data.resolve("seg.dat");
        Files.createLink(segment, tmpName);
        engine.vfs().namespace('L', tmpName.toString(), segment.toString());
        engine.crashPoint("linked");
        Files.delete(tmpName);
        engine.vfs().namespace('U', tmpName.toString(), null);
        engine.vfs().writing(id, segment.toString());
        engine.vfs().written(id, 4096, 4096);
        engine.crashPoint("unlinked");
        engine.report("exit");

        Journal journal = CrashJournalReader.read(tmp.resolve("crash.journal"), Persistence.POSIX, data);
        assertEquals(1, journal.files().size(), "written through its second name, the file is still the one");
        Point linked = JournaledStates.point(journal, "linked");
        assertTrue(journal.points().stream().anyMatch(p -> p.kind().equals("link")), "a crash point after the link");
        Path both = JournaledStates.allOpsPersisted(journal, linked, data, tmp.resolve("both"));
        assertTrue(Files.isSameFile(both.resolve("seg.tmp"), both.resolve("seg.dat")), "one inode, two names");
        Path before = JournaledStates.nothingPersisted(journal, linked, data, tmp.resolve("before"));
        assertTrue(Files.exists(before.resolve("seg.tmp")));
        assertFalse(Files.exists(before.resolve("seg.dat")), "posix: the link waits for its directory's fsync");
        Path after = JournaledStates.allOpsPersisted(journal, JournaledStates.point(journal, "unlinked"), data, tmp.resolve("after"));
        assertFalse(Files.exists(after.resolve("seg.tmp")));
        assertTrue(Files.exists(after.resolve("seg.dat")));
    }
}
