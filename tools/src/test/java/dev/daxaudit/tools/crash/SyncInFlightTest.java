package dev.daxaudit.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.FileId;
import dev.daxaudit.core.PathSync;
import dev.daxaudit.tools.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashJournalReader.Point;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An fsync of a file written with write(2) covers what was written when it started: a page written again by another
 * thread while it runs, or a page first written then, stays pending after it returns, and the durable page is the
 * one the sync started with (fsync(2) waits for the writeback of the pages dirty at its call; one dirtied again is
 * dirty again). A sync that throws makes nothing durable.
 */
class SyncInFlightTest {
    @TempDir
    Path tmp;

    private static byte[] page(int fill) {
        byte[] page = new byte[4096];
        Arrays.fill(page, (byte) fill);
        return page;
    }

    private static void write(RandomAccessFile file, DaxEngine engine, FileId id, Path path, long at, int fill)
            throws Exception {
        engine.vfs().writing(id, path.toString());
        file.seek(at);
        file.write(page(fill));
        engine.vfs().written(id, at, 4096);
    }

    /** data.dat at {@code point} in the state where nothing pending persisted. */
    private byte[] durable(Journal journal, Point point, Path root, Path dir) throws Exception {
        return Files.readAllBytes(JournaledStates.nothingPersisted(journal, point, root, dir).resolve("data.dat"));
    }

    @Test
    void aPageWrittenWhileItsSyncRunsStaysPendingAndTheSyncMakesDurableWhatItStartedWith() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path file = data.resolve("data.dat");
        Files.write(file, page(1));
        DaxEngine engine = JournaledStates.engine(tmp);
        FileId id = FileId.of(file.toString());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            write(raf, engine, id, file, 0, 2);
            PathSync sync = engine.vfs().startPathSync(id, file.toString(), true);
            write(raf, engine, id, file, 0, 3); // the page again, while the sync runs
            write(raf, engine, id, file, 4096, 4); // a new page, growing the file, while it runs
            engine.vfs().finishPathSync(sync, true);
            engine.crashPoint("synced");

            PathSync failed = engine.vfs().startPathSync(id, file.toString(), true);
            engine.vfs().finishPathSync(failed, false);
            engine.crashPoint("failed");
        }
        engine.report("exit");

        Journal journal = CrashJournalReader.read(tmp.resolve("crash.journal"), Persistence.EXT4, data);
        Point synced = JournaledStates.point(journal, "synced");
        assertEquals(new TreeSet<>(List.of(0L, 4096L)), pendingOffsets(synced), "both later writes pending");
        assertArrayEquals(page(2), durable(journal, synced, data, tmp.resolve("synced")),
                "the page as the sync started, one page long: the size then");
        assertArrayEquals(page(2), durable(journal, JournaledStates.point(journal, "failed"), data, tmp.resolve("failed")),
                "a sync that threw made nothing more durable");
    }

    private static TreeSet<Long> pendingOffsets(Point point) {
        TreeSet<Long> out = new TreeSet<>();
        for (DirtyPage p : point.dirty()) {
            out.add(p.pgoff() * 4096);
        }
        return out;
    }
}
