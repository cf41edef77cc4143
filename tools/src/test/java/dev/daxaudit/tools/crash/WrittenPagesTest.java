package dev.daxaudit.tools.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.FileId;
import dev.daxaudit.core.Storage;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashJournalReader.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages written through the write family, from the engine's calls to the journal crash-test reads: pending until a
 * sync of the file covers them (one page cache, any descriptor), with the size; on fs-dax a page whose blocks were
 * allocated is durable when the write returns, one that allocates is not.
 */
class WrittenPagesTest {
    @TempDir
    Path tmp;

    private static byte[] pages(int n, int value) {
        byte[] bytes = new byte[n * 4096];
        for (int i = 0; i < n; i++) {
            bytes[i * 4096] = (byte) (value + i);
        }
        return bytes;
    }

    private Journal read() throws Exception {
        return CrashJournalReader.read(tmp.resolve("crash.journal"), Persistence.EXT4, tmp);
    }

    @Test
    void writtenPagesArePendingUntilTheFileIsSynced() throws Exception {
        DaxEngine engine = JournaledStates.engine(tmp, Storage.Model.PAGE_CACHE);
        Path file = Files.createFile(tmp.resolve("data.log")); // opened (and created) before its first write
        FileId id = FileId.of(file.toString());
        engine.vfs().writing(id, file.toString());
        Files.write(file, pages(2, 1));
        engine.vfs().written(id, 0, 2 * 4096);
        engine.crashPoint("written");
        engine.vfs().finishPathSync(engine.vfs().startPathSync(id, null, true), true); // fdatasync through any descriptor
        engine.crashPoint("synced");
        engine.report("exit");

        Journal journal = read();
        assertEquals(List.of("data.log"), journal.files().stream().map(f -> Path.of(f.path()).getFileName()
                .toString()).toList());
        Point written = journal.points().get(0);
        assertEquals(List.of(0L, 1L), written.dirty().stream().map(d -> d.pgoff()).toList());
        assertTrue(written.dirty().get(0).allocates(), "a new file's pages allocate blocks at their writeback");
        assertEquals(0, written.durable().get(0).size(), "a new file: nothing durable before the sync");
        assertEquals(2 * 4096L, written.sizes().get(0), "the size the program wrote");
        Point synced = journal.points().stream().filter(p -> p.label().equals("synced")).findFirst().orElseThrow();
        assertEquals(List.of(), synced.dirty());
        assertEquals(2 * 4096, synced.durable().get(0).size(), "fdatasync persists the size the data needs");
        assertEquals(2, synced.durable().get(0).pages().get(1L)[0]);
    }

    /** A file written under a temporary name and renamed, then fsynced: its pages are read under its new name. */
    @Test
    void aWrittenFileIsFollowedAcrossItsRename() throws Exception {
        DaxEngine engine = JournaledStates.engine(tmp, Storage.Model.PAGE_CACHE);
        Path tmpName = Files.createFile(tmp.resolve("CURRENT.tmp"));
        FileId id = FileId.of(tmpName.toString());
        engine.vfs().writing(id, tmpName.toString());
        Files.write(tmpName, pages(1, 9));
        engine.vfs().written(id, 0, 4096);
        Path current = Files.move(tmpName, tmp.resolve("CURRENT"));
        engine.vfs().namespace('R', tmpName.toString(), current.toString());
        engine.vfs().finishPathSync(engine.vfs().startPathSync(id, null, false), true); // fsync by the new name's descriptor
        engine.crashPoint("synced");
        engine.report("exit");

        Point synced = read().points().stream().filter(p -> p.label().equals("synced")).findFirst().orElseThrow();
        assertEquals(9, synced.durable().get(0).pages().get(0L)[0], "the page, read back under the new name");
        assertEquals(List.of(), synced.dirty());
    }

    /**
     * A new CURRENT written, never fsynced, renamed over the old one, the directory fsynced: on ext4 the rename
     * flushed the data first (auto_da_alloc), so once the rename is durable its page and size are; under posix the
     * renamed file may be empty.
     */
    @Test
    void aRenameOverAnExistingFileCarriesItsDataOnExt4Only() throws Exception {
        Files.write(tmp.resolve("CURRENT"), pages(1, 1));
        DaxEngine engine = JournaledStates.engine(tmp, Storage.Model.PAGE_CACHE);
        Path tmpName = Files.createFile(tmp.resolve("CURRENT.tmp"));
        FileId id = FileId.of(tmpName.toString());
        engine.vfs().writing(id, tmpName.toString());
        Files.write(tmpName, pages(1, 9));
        engine.vfs().written(id, 0, 4096);
        Path current = Files.move(tmpName, tmp.resolve("CURRENT"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        engine.vfs().namespace('O', tmpName.toString(), current.toString());
        engine.vfs().finishPathSync(engine.vfs().startPathSync(null, tmp.toString(), false), true); // fsync of the directory
        engine.crashPoint("dir-synced");
        engine.report("exit");

        for (Persistence model : Persistence.values()) {
            Journal journal = CrashJournalReader.read(tmp.resolve("crash.journal"), model, tmp);
            Point synced = journal.points().stream().filter(p -> p.label().equals("dir-synced")).findFirst()
                    .orElseThrow();
            assertEquals(List.of(), synced.pendingOps(), model + ": the directory's fsync persisted the rename");
            boolean carried = synced.durable().get(0).pages().containsKey(0L);
            assertEquals(model == Persistence.EXT4, carried, model.label());
            assertEquals(model == Persistence.EXT4 ? 4096 : 0, synced.durable().get(0).size(), model.label());
        }
    }

    /**
     * A mapped file truncated, never synced: under posix its old size stays until a sync of the file; under ext4 the
     * truncate is a pending operation (i_disksize in the running transaction), kept or not by a crash, and the next
     * commit of the journal persists it whatever sync causes it (here a directory's fsync).
     */
    @Test
    void aTruncateIsJournaledMetadataOnExt4AndWaitsForItsFilesSyncUnderPosix() throws Exception {
        Path file = tmp.resolve("seg.dat");
        Files.write(file, pages(4, 1));
        FileId id = FileId.of(file.toString());
        DaxEngine engine = JournaledStates.engine(tmp, Storage.Model.PAGE_CACHE);
        engine.map(id, file.toString(), dev.daxaudit.core.MappingMode.READ_WRITE, 0x7f00_0000_0000L, 4 * 4096, 0,
                4 * 4096, 4 * 4096);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(4096);
        }
        engine.resize(id, 4096);
        engine.crashPoint("truncated");
        engine.vfs().finishPathSync(engine.vfs().startPathSync(null, tmp.toString(), false), true); // fsync of the directory
        engine.crashPoint("committed");
        engine.report("exit");

        for (Persistence model : Persistence.values()) {
            Journal journal = CrashJournalReader.read(tmp.resolve("crash.journal"), model, tmp);
            Point truncated = journal.points().stream().filter(p -> p.label().equals("truncated")).findFirst()
                    .orElseThrow();
            Point committed = journal.points().stream().filter(p -> p.label().equals("committed")).findFirst()
                    .orElseThrow();
            assertEquals(4 * 4096, truncated.durable().get(0).size(), model.label());
            if (model == Persistence.EXT4) {
                assertEquals(1, truncated.pendingOps().size());
                assertEquals("the size change of seg.dat to 4096 bytes", truncated.pendingOps().get(0).describe()
                        .replaceFirst(" at .*", ""));
                assertEquals(4096, committed.durable().get(0).size(), "the directory's fsync committed it");
            } else {
                assertEquals(List.of(), truncated.pendingOps());
                assertEquals(4 * 4096, committed.durable().get(0).size(), "no sync of the file");
            }
        }
    }

    @Test
    void onFsDaxAnOverwriteIsDurableAtOnceAndAnAppendIsNot() throws Exception {
        Path file = tmp.resolve("data.log");
        Files.write(file, pages(1, 1)); // allocated before the run
        FileId id = FileId.of(file.toString());
        DaxEngine engine = JournaledStates.engine(tmp, Storage.Model.DAX);
        engine.vfs().writing(id, file.toString());
        byte[] both = pages(2, 5);
        Files.write(file, both);
        engine.vfs().written(id, 0, 2 * 4096);
        engine.crashPoint("written");
        engine.report("exit");

        Point written = read().points().get(0);
        assertEquals(5, written.durable().get(0).pages().get(0L)[0], "page 0 overwritten in place: durable");
        assertEquals(List.of(1L), written.dirty().stream().map(d -> d.pgoff()).toList(), "page 1 allocates");
        assertTrue(written.dirty().get(0).allocates());
        assertEquals(4096, written.durable().get(0).size(), "the new size waits for a sync");
        assertFalse(written.durable().get(0).pages().containsKey(1L));
    }
}
