package dev.daxaudit.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.FileId;
import dev.daxaudit.core.MappingMode;
import dev.daxaudit.core.PathSync;
import dev.daxaudit.core.Writeback;
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

    /** A store of a page of {@code fill} through the mapping at {@code address}: the page cache both share. */
    private static void store(RandomAccessFile file, DaxEngine engine, long address, long at, int fill)
            throws Exception {
        file.seek(at);
        file.write(page(fill));
        engine.store(address + at, 4096);
    }

    /**
     * A force of a mapped file (msync) makes durable the pages dirty when it started, as they were then, whether
     * stored through the mapping or written with write(2) (one page cache): a page written or stored again while it
     * runs, or first written then, is pending after it, over the image the force started with. A page's later
     * content is never credited to a force that started before it.
     */
    @Test
    void aForceOfAMappedFileMakesDurableThePagesAsTheyWereWhenItStarted() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path file = data.resolve("data.dat");
        byte[] ones = new byte[4 * 4096];
        Arrays.fill(ones, (byte) 1);
        Files.write(file, ones);
        DaxEngine engine = JournaledStates.engine(tmp);
        FileId id = FileId.of(file.toString());
        long address = 0x7f00_0000_0000L;
        engine.map(id, file.toString(), MappingMode.READ_WRITE, address, 4 * 4096, 0, 4 * 4096, 4 * 4096);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            write(raf, engine, id, file, 0, 2);
            store(raf, engine, address, 2 * 4096, 2);
            write(raf, engine, id, file, 3 * 4096, 2);
            Writeback force = engine.startForce(address, 4 * 4096, false);
            write(raf, engine, id, file, 0, 3); // written again while the force runs
            write(raf, engine, id, file, 4096, 4); // first written while it runs
            store(raf, engine, address, 2 * 4096, 5); // stored again while it runs
            engine.finishWriteback(force, true);
            engine.crashPoint("forced");

            Writeback failed = engine.startForce(address, 4 * 4096, false);
            engine.finishWriteback(failed, false);
            engine.crashPoint("failed");
        }
        engine.report("exit");

        Journal journal = CrashJournalReader.read(tmp.resolve("crash.journal"), Persistence.EXT4, data);
        Point forced = JournaledStates.point(journal, "forced");
        assertEquals(new TreeSet<>(List.of(0L, 4096L, 2 * 4096L)), pendingOffsets(forced),
                "the pages written or stored while the force ran");
        byte[] asStarted = new byte[4 * 4096];
        Arrays.fill(asStarted, (byte) 2);
        Arrays.fill(asStarted, 4096, 2 * 4096, (byte) 1);
        assertArrayEquals(asStarted, durable(journal, forced, data, tmp.resolve("forced")),
                "pages 0, 2 and 3 as the force started; page 1 as before the run");
        assertArrayEquals(asStarted, durable(journal, JournaledStates.point(journal, "failed"), data,
                tmp.resolve("failed")), "a force that threw made nothing more durable");
    }

    private static TreeSet<Long> pendingOffsets(Point point) {
        TreeSet<Long> out = new TreeSet<>();
        for (DirtyPage p : point.dirty()) {
            out.add(p.pgoff() * 4096);
        }
        return out;
    }
}
