package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daxaudit.tools.crash.CrashImage;
import dev.daxaudit.tools.crash.CrashJournalReader;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashJournalReader.Point;
import dev.daxaudit.tools.crash.CrashRun;
import dev.daxaudit.tools.crash.CrashStates.State;
import dev.daxaudit.tools.crash.Persistence;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ground truth from a crashed kernel: the guest runs a {@code CrashLog} scenario under the agent on ext4
 * (data=ordered, journaled, 4 KiB blocks as on any disk over 512 MiB: mkfs would pick 1 KiB for this small one, and
 * then a page can be partly allocated) on a virtio disk, and at a named place the program marks a crash point and
 * reboots the kernel through sysrq {@code b}, which writes nothing back. A second boot mounts the disk (the journal replays) and
 * copies the files out. What the kernel left must be, byte for byte (names, sizes, contents), one of the crash
 * states crash-test enumerates at that point under the {@code ext4} model, every subset of the pending pages and
 * every prefix of the pending operations. The kernel's own writeback and the journal's commit timer are held off
 * (dirty_writeback_centisecs=0, commit=600), so what persisted is what the program's own syncs made durable: each
 * scenario checks the rule that made it so. Three scenarios run again with the kernel's writeback and a 1-second
 * journal commit let run for 3 s before the crash: then everything pending persisted, which must be enumerated too.
 * Four run on ext4 {@code -o dax} on the guest's pmem. The crash journal goes to the host over 9p, written through
 * at each point, so it survives the crash.
 */
class GuestCrashIT {
    private static final Path API_CLASSES = Paths.get(System.getProperty("dax.api.classes"));
    private static final String APP = "/mnt/disk/app";
    /** The guest's disk: 4 KiB blocks forced (mkfs would pick 1 KiB for a disk this small). */
    private static final long DISK_BYTES = 256L << 20;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} at {1} {2}")
    @CsvSource({
        // msync of a file grown by map(): its pages and its new size (vfs_fsync_range(..., datasync=1))
        "map-grown-header-first, end, held",
        // setLength, then msync of the grown range: the size with the pages, no fsync
        "grow-unsynced, end, held",
        // write(2) through three descriptors, fdatasync of one: every page and the size
        "written-data-first, end, held",
        // a new file's msync that persists its size commits its creation (ext4_sync_file, i_datasync_tid)
        "new-segment, end, held",
        // a rename no directory fsync covers, and later syncs that commit nothing: the old name stays
        "rename-unsynced, end, held",
        // the twin: the directory's fsync persists the rename
        "rename-dirsynced, end, held",
        // write(2) of a new CURRENT, renamed over the old one, the directory fsynced, no fsync of the file: ext4
        // flushes it before the rename commits (auto_da_alloc)
        "replace-unsynced, end, held",
        // a truncate no sync persisted: the segment keeps its preallocated length (the manifest's msync commits
        // nothing); the twin's fdatasync persists the new size (ext4_do_update_inode moves i_datasync_tid)
        "trim-unsynced, end, held",
        "trim-synced, end, held",
        // a count forced before its record: the count durable, the record not
        "header-first, header-forced, held",
        // the same three with the kernel's writeback and a 1-second journal commit let run for 3 s before the
        // crash: everything pending persists (the record; the rename; the truncate, committed by no sync of the
        // program's, which crash-test enumerates as a pending operation under ext4)
        "header-first, header-forced, writeback",
        "rename-unsynced, end, writeback",
        "trim-unsynced, end, writeback"
    })
    void whatTheKernelLeftIsOneOfTheEnumeratedStates(String mode, String place, String writeback) throws Exception {
        boolean kernelWriteback = "writeback".equals(writeback);
        Path disk = tmp.resolve("disk.img");
        try (RandomAccessFile image = new RandomAccessFile(disk.toFile(), "rw")) {
            image.setLength(DISK_BYTES);
        }
        Path run = Files.createDirectory(tmp.resolve("run"));
        DaxGuest.boot(run, runScript(mode, place, kernelWriteback, "/dev/vda", ""), disk);
        Path read = Files.createDirectory(tmp.resolve("read"));
        DaxGuest.boot(read, readScript("/dev/vda", ""), disk);
        kernelLeftAnEnumeratedState(run, read.resolve("out/after"), mode + " at " + place
                + (kernelWriteback ? " with writeback" : ""), kernelWriteback ? Expect.ALL : Expect.NONE,
                Persistence.EXT4);
    }

    /**
     * The same on an ext4 without a journal ({@code mkfs.ext4 -O ^has_journal}), read under {@code ext4-nojournal}:
     * a new file's first sync writes its parent directory ({@code ext4_fsync_nojournal} -> {@code ext4_sync_parent}),
     * so its creation is durable with nothing pending persisted. Under {@code posix} the kernel's state here would be
     * one where a pending creation persisted, which writeback held off cannot explain: the rule is what the kernel did.
     */
    @ParameterizedTest
    @CsvSource({
        // seg.dat created and grown by map(), its first msync: the creation persists with it
        "new-segment, end",
        // a segment in segments/ and a manifest in meta/, each new file fsynced, neither directory
        "cross-dir-unsynced, end"
    })
    void whatTheKernelLeftOnExt4WithoutAJournalIsOneOfTheEnumeratedStates(String mode, String place) throws Exception {
        Path disk = tmp.resolve("disk.img");
        try (RandomAccessFile image = new RandomAccessFile(disk.toFile(), "rw")) {
            image.setLength(DISK_BYTES);
        }
        Path run = Files.createDirectory(tmp.resolve("run"));
        DaxGuest.boot(run, runScript(mode, place, false, "/dev/vda", "", "-O ^has_journal"), disk);
        Path read = Files.createDirectory(tmp.resolve("read"));
        DaxGuest.boot(read, readScript("/dev/vda", ""), disk);
        kernelLeftAnEnumeratedState(run, read.resolve("out/after"), mode + " at " + place + " without a journal",
                Expect.NONE, Persistence.EXT4_NOJOURNAL);
    }

    /**
     * The same on ext4 {@code -o dax} on the guest's emulated pmem, the guest's memory a file that keeps the pmem's
     * content across the crash (sysrq {@code b}) to the second boot, which mounts it again. Emulation has no CPU
     * cache to lose: every store into a DAX mapping is in the pmem when the crash comes, so the kernel leaves the
     * pending pages whose blocks were allocated or whose allocation a commit carried, and the metadata the program's
     * syncs committed. That must be one of the states crash-test enumerates there under {@code ext4} for files on
     * fs-dax. In these scenarios every pending page persisted and no pending operation: header-first's record was
     * never forced, yet it is there, its block allocated at its write fault in the running transaction, which the
     * count's msync committed ({@code ext4_map_blocks} moved {@code i_datasync_tid}).
     */
    @ParameterizedTest(name = "{0} at {1} on fs-dax")
    @CsvSource({
        // msync of a file grown by map(), on fs-dax (dax_writeback_mapping_range, then the datasync commit)
        "map-grown-header-first, end",
        // a count forced before its record: the record's store is in the pmem too, its block allocated by its fault
        "header-first, header-forced",
        // a rename no directory fsync covers: the old name stays
        "rename-unsynced, end",
        // a truncate no sync persisted
        "trim-unsynced, end"
    })
    void whatTheKernelLeftOnFsDaxIsOneOfTheEnumeratedStates(String mode, String place) throws Exception {
        Path memory = tmp.resolve("memory.img");
        Path run = Files.createDirectory(tmp.resolve("run"));
        DaxGuest.boot(memory, run, runScript(mode, place, false, "/dev/pmem0", ",dax"));
        Path read = Files.createDirectory(tmp.resolve("read"));
        DaxGuest.boot(memory, read, readScript("/dev/pmem0", ",dax"));
        kernelLeftAnEnumeratedState(run, read.resolve("out/after"), mode + " at " + place + " on fs-dax",
                Expect.STORED, Persistence.EXT4);
    }

    /**
     * What the kernel's state must hold of the crash point's pending items: none, all of them, or (fs-dax under
     * emulation, commits held off) every pending page and no pending operation.
     */
    private enum Expect { NONE, ALL, STORED }

    /** Boot two: mounts {@code device} again (the journal replays) and copies the app directory out. */
    private static String readScript(String device, String options) {
        return """
                #!/bin/bash
                export PATH=/usr/bin:/usr/sbin HOME=/root
                set -u
                mkdir -p /mnt/disk && mount -t ext4 -o rw%3$s %4$s /mnt/disk || { echo 'cannot mount the crashed disk'; exit 1; }
                grep ' /mnt/disk ' /proc/mounts
                mkdir -p /share/out/after && cp -a %1$s/. /share/out/after/ && ls -la %2$s
                umount /mnt/disk
                """.formatted(APP, APP, options, device);
    }

    /**
     * The crash journal of boot one ({@code run}) read under ext4, the states of its last point (where the program
     * crashed the machine) enumerated, and the files the kernel left ({@code after}) found among them.
     */
    private void kernelLeftAnEnumeratedState(Path run, Path after, String scenario, Expect expect, Persistence model)
            throws Exception {
        Path journalFile = run.resolve("out/crash.journal");
        Journal journal = CrashJournalReader.read(journalFile, model, Paths.get(APP));
        Point crash = journal.points().get(journal.points().size() - 1);
        assertEquals("marker", crash.kind(), "the journal's last point is where the program crashed the machine");
        assertEquals("guest-crash", crash.label());
        // Only that point's states, every subset of its pending pages (no deduplication against earlier points).
        Journal atCrash = new Journal(journal.files(), List.of(crash), journal.complete(), journal.persistence(),
                journal.persistenceChosen(), journal.initialNames(), journal.fileOfInode(), journal.root());
        List<State> states = CrashRun.enumerate(atCrash, "full:12", false, 100_000).states();
        assertTrue(!states.isEmpty(), "no state enumerated at the crash point");

        Map<String, byte[]> observed = files(after);
        List<String> enumerated = new ArrayList<>();
        for (State state : states) {
            Path dir = tmp.resolve("state-" + state.index());
            CrashImage.write(state, atCrash, Paths.get(APP), dir);
            Map<String, byte[]> expected = files(dir);
            enumerated.add("state " + state.index() + ": " + describe(expected));
            if (same(expected, observed)) {
                // The kernel left one of the states crash-test checks at this point; with writeback and commits
                // held off, the one where nothing pending persisted: what the program's own syncs made durable.
                System.out.println("GuestCrashIT " + scenario + ": the kernel left " + describe(observed)
                        + ", state " + state.index() + " of " + states.size() + " (pending pages persisted: "
                        + state.persistedPages().size() + " of " + crash.dirty().size() + ", pending operations "
                        + "persisted: " + state.opsPersisted() + " of " + crash.pendingOps().size() + ")");
                if (expect == Expect.ALL) {
                    assertEquals(crash.dirty().size() + crash.pendingOps().size(), state.persistedPages().size()
                            + state.opsPersisted(), "with 3 s of writeback and commits, everything pending should "
                            + "have persisted: " + describe(observed));
                } else if (expect == Expect.STORED) {
                    assertEquals(crash.dirty().size(), state.persistedPages().size(), "every store is in the pmem: "
                            + describe(observed));
                    assertEquals(0, state.opsPersisted(), "commits held off: " + describe(observed));
                } else {
                    assertEquals(0, state.persistedPages().size() + state.opsPersisted(), "with writeback and "
                            + "commits held off, nothing pending should have persisted: " + describe(observed));
                }
                return;
            }
        }
        fail("after the crash at " + crash.describe() + " the kernel left " + describe(observed)
                + ", none of the " + states.size() + " enumerated states:\n" + String.join("\n", enumerated));
    }

    /**
     * Deterministic ground truth, as the filesystem developers' own power-fail tests get it: ext4 on a dm-log-writes
     * target, which logs every write the disk completed, in the order flushes made them stable; the program marks
     * named crash points in the log as it passes them ({@code GuestCrash.point}), writeback and commits held off.
     * On the host the log is replayed onto an empty disk image, stopping at every flush, FUA write and mark after
     * the filesystem was made; each stop is a disk a power cut there leaves. Its journal is replayed
     * ({@code e2fsck -E journal_only}, what the next mount does) and the files read out ({@code debugfs rdump}).
     * Every such disk must be, byte for byte, a state crash-test enumerates at one of the crash points between the
     * program's marks on either side; at a mark, the state where nothing pending persisted.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // forced records, each count after its record: a mark after each commit
        "records-first",
        // the count forced before its record: a disk between the two holds a count without its record
        "header-first",
        // a file grown by map(), never fsynced: its size and pages at each msync
        "map-grown-records-first",
        // files created and fsynced before their first write or map: in states from their creation
        "written-data-first",
        "rename-unsynced",
        // a hard link and the unlink of the old name, no directory fsync: ordered in ext4's journal like a rename
        "link-unsynced",
        "trim-unsynced",
        "created-unsynced",
        "created-dirsynced",
        // CURRENT written with write(2), renamed over, never fsynced: ext4 flushes it at the rename
        "replace-unsynced",
        // data.dat appended by write(2) while a thread of its own fdatasyncs it: a sync covers what was written when
        // it started
        "sync-thread-count-after",
        // the same over data.dat also mapped, the thread forcing the mapping (msync): the force makes durable the
        // pages as they were at its start, and a page appended while it runs is pending over that
        "sync-thread-msync-count-after",
        // a segment written with write(2), trimmed by ftruncate, then a manifest written and fsynced: on ext4 that
        // commit carries the trim, but the manifest's page reaches the disk before the commit does (this scenario's
        // first run found a disk with the manifest new and the trim unmade: no crash point before a written file's
        // fsync, now there is)
        "written-trim-manifest-fsynced",
        // data.dat appended by transferTo from a staging file (copy_file_range or sendfile)
        "transfer-index-first"
    })
    void everyDiskTheLogReplaysToIsAnEnumeratedState(String mode) throws Exception {
        Path disk = null;
        Path run = null;
        LogWrites writes = null;
        int start = -1;
        int end = -1;
        // A guest run under emulation can leave a log without its marks (seen once in many CI runs: a retried
        // program on a target re-created over the same log device): such a run is made again, once, from scratch.
        for (int attempt = 1; attempt <= 2 && !(start >= 0 && end > start); attempt++) {
            disk = tmp.resolve("disk-" + attempt + ".img");
            Path log = tmp.resolve("log-" + attempt + ".img");
            try (RandomAccessFile d = new RandomAccessFile(disk.toFile(), "rw");
                    RandomAccessFile l = new RandomAccessFile(log.toFile(), "rw")) {
                d.setLength(DISK_BYTES);
                l.setLength(512L << 20);
            }
            run = Files.createDirectory(tmp.resolve("run-" + attempt));
            DaxGuest.boot(run, logWritesScript(mode), disk, log);
            writes = LogWrites.read(log);
            start = writes.mark("start", 0);
            end = writes.mark("end", Math.max(start, 0));
        }
        assertTrue(start >= 0 && end > start, "the log has no start and end marks: " + writes.entries.size()
                + " entries");
        Journal journal = CrashJournalReader.read(run.resolve("out/crash.journal"), Persistence.EXT4, Paths.get(APP));

        // The program's marks in the log, in order, and the journal's crash points of the same names.
        List<Integer> markPoints = new ArrayList<>();
        int nextPoint = 0;
        for (LogWrites.Entry e : writes.entries.subList(start + 1, end + 1)) {
            if (e.is(LogWrites.MARK)) {
                while (nextPoint < journal.points().size() && !(journal.points().get(nextPoint).kind().equals("marker")
                        && e.mark().equals(journal.points().get(nextPoint).label()))) {
                    nextPoint++;
                }
                assertTrue(nextPoint < journal.points().size(), "the journal has no crash point for mark " + e.mark());
                markPoints.add(nextPoint++);
            }
        }

        Path image = tmp.resolve("replay.img");
        Map<Integer, List<Enumerated>> statesByPoint = new TreeMap<>();
        int disks = 0;
        int window = 0;
        try (FileChannel replay = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            replay.write(java.nio.ByteBuffer.allocate(1), DISK_BYTES - 1); // as long as the guest's disk
            int replayed = 0; // entries [0, replayed) are on the image
            boolean written = false;
            for (int i = start + 1; i <= end; i++) {
                LogWrites.Entry e = writes.entries.get(i);
                written |= e.sectors() > 0 || e.is(LogWrites.DISCARD);
                boolean mark = e.is(LogWrites.MARK);
                if (!mark && !(written && (e.is(LogWrites.FLUSH) || e.is(LogWrites.FUA)))) {
                    continue;
                }
                written = false;
                writes.replay(replay, replayed, i + 1);
                replayed = i + 1;
                replay.force(false);
                Map<String, byte[]> observed = mountedFiles(image, tmp.resolve("disk-" + i));
                disks++;
                if (mark) {
                    int point = markPoints.get(window++);
                    List<Enumerated> at = statesByPoint.computeIfAbsent(point, p -> states(journal, p, tmp));
                    assertTrue(at.stream().anyMatch(x -> x.nothingPending() && same(x.files(), observed)),
                            "at mark " + e.mark() + " (log entry " + i + ") the disk holds " + describe(observed)
                            + ", not the state where nothing pending persisted at "
                            + journal.points().get(point).describe() + ": " + at);
                    continue;
                }
                int lo = window == 0 ? 0 : markPoints.get(window - 1);
                int hi = markPoints.get(window);
                boolean found = false;
                for (int p = hi; p >= lo && !found; p--) {
                    found = statesByPoint.computeIfAbsent(p, q -> states(journal, q, tmp)).stream()
                            .anyMatch(x -> same(x.files(), observed));
                }
                if (!found) {
                    fail("the disk after log entry " + i + " (flags " + e.flags() + ") holds " + describe(observed)
                            + ", none of the states crash-test enumerates at points " + lo + " to " + hi + ":\n"
                            + statesByPoint.entrySet().stream().filter(x -> x.getKey() >= lo && x.getKey() <= hi)
                            .map(x -> journal.points().get(x.getKey()).describe() + ": " + x.getValue())
                            .collect(java.util.stream.Collectors.joining("\n")));
                }
            }
        }
        assertTrue(disks > markPoints.size(), "no disk between the marks was checked");
        System.out.println("GuestCrashIT log-writes " + mode + ": " + (end - start) + " log entries, " + disks
                + " disks (" + markPoints.size() + " at marks), each an enumerated state");
    }

    /** A state crash-test enumerates, as files; {@code nothingPending}: the one where nothing pending persisted. */
    private record Enumerated(boolean nothingPending, Map<String, byte[]> files) {
        @Override
        public String toString() {
            return describe(files);
        }
    }

    /** The states crash-test enumerates at point {@code index} alone, as files. */
    private static List<Enumerated> states(Journal journal, int index, Path tmp) {
        try {
            Point point = journal.points().get(index);
            Journal at = new Journal(journal.files(), List.of(point), journal.complete(), journal.persistence(),
                    journal.persistenceChosen(), journal.initialNames(), journal.fileOfInode(), journal.root());
            List<Enumerated> out = new ArrayList<>();
            for (State state : CrashRun.enumerate(at, "full:12", false, 100_000).states()) {
                Path dir = tmp.resolve("point-" + index + "-state-" + state.index());
                CrashImage.write(state, at, Paths.get(APP), dir);
                out.add(new Enumerated(state.persistedPages().size() + state.opsPersisted() == 0, files(dir)));
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The files under the app directory of the disk {@code image}, after its journal is replayed, as mount would. */
    private static Map<String, byte[]> mountedFiles(Path image, Path dir) throws IOException, InterruptedException {
        Path copy = dir.resolveSibling(dir.getFileName() + ".img");
        run(0, "cp", "--sparse=always", image.toString(), copy.toString());
        run(1, "e2fsck", "-y", "-E", "journal_only", copy.toString()); // 1: the journal replayed, errors fixed
        Files.createDirectories(dir);
        run(0, "debugfs", "-R", "rdump " + APP.substring("/mnt/disk".length()) + " " + dir, copy.toString());
        Files.delete(copy);
        return files(dir.resolve(Paths.get(APP).getFileName()));
    }

    /** Runs {@code command}; an exit status above {@code highestFine} fails the test with its output. */
    private static void run(int highestFine, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() > highestFine) {
            fail(String.join(" ", command) + " exited " + p.exitValue() + ": " + output);
        }
    }

    /**
     * The log-writes run: ext4 made on a log-writes target over /dev/vda (log on /dev/vdb), a mark once the
     * filesystem and the app directory are stable, the program with writeback and commits held off, marking its
     * crash points in the log; then the target removed, which logs what was still unflushed. A JVM that dies of
     * SIGILL or SIGSEGV under emulation (exit 132, 134 or 139, see DaxGuest) is run again on a fresh target.
     */
    private static String logWritesScript(String mode) {
        return """
                #!/bin/bash
                export PATH=/usr/bin:/usr/sbin HOME=/root
                set -u
                echo 0 > /proc/sys/vm/dirty_writeback_centisecs
                echo 360000 > /proc/sys/vm/dirty_expire_centisecs
                mkdir -p /mnt/disk
                for attempt in 1 2 3; do
                  umount /mnt/disk 2>/dev/null; dmsetup remove --noudevsync lw 2>/dev/null
                  dmsetup create lw --noudevrules --noudevsync \\
                    --table "0 $(cat /sys/block/vda/size) log-writes /dev/vda /dev/vdb" && dmsetup mknodes lw \\
                    || { echo 'no log-writes target'; exit 1; }
                  mkfs.ext4 -q -F -b 4096 -E nodiscard,lazy_itable_init=0,lazy_journal_init=0 /dev/mapper/lw \\
                    && mount -t ext4 -o commit=600 /dev/mapper/lw /mnt/disk || { echo 'no disk'; exit 1; }
                  mkdir -p %1$s && sync
                  dmsetup message lw 0 mark start
                  %2$s
                  status=$?
                  %3$s
                done
                umount /mnt/disk && dmsetup remove --noudevsync lw && sync
                [ $status -eq 0 ] || { echo "the program failed ($status):"; cat /share/out/app.out; exit 1; }
                """.formatted(APP, crashLog(mode, "-Dcrashlog.logWrites=lw"), DaxGuest.EMULATION_FAULT_OR_BREAK);
    }

    /**
     * Boot one: a fresh ext4 on /dev/vda, writeback and commits held off, sysrq enabled, the status written before
     * the program (which ends the machine) runs. A JVM that dies of SIGILL or SIGSEGV under emulation (exit
     * 132, 134 or 139, see DaxGuest) is run again on a fresh filesystem.
     */
    private static String runScript(String mode, String place, boolean kernelWriteback, String device,
                                    String options) {
        return runScript(mode, place, kernelWriteback, device, options, "");
    }

    /** As above, the filesystem made with {@code mkfsOptions} too (such as {@code -O ^has_journal}). */
    private static String runScript(String mode, String place, boolean kernelWriteback, String device,
                                    String options, String mkfsOptions) {
        return """
                #!/bin/bash
                export PATH=/usr/bin:/usr/sbin HOME=/root
                set -u
                echo %3$s > /proc/sys/vm/dirty_writeback_centisecs
                echo %4$s > /proc/sys/vm/dirty_expire_centisecs
                echo 1 > /proc/sys/kernel/sysrq
                mkdir -p /mnt/disk
                for attempt in 1 2 3; do
                  umount /mnt/disk 2>/dev/null
                  mkfs.ext4 -q -F -b 4096 %9$s %6$s && mount -t ext4 -o %5$s%7$s %6$s /mnt/disk || { echo 'no disk'; exit 1; }
                  grep ' /mnt/disk ' /proc/mounts
                  [ -z "%7$s" ] || grep -q ' /mnt/disk .*dax' /proc/mounts || { echo 'not mounted -o dax'; exit 1; }
                  mkdir -p %1$s && sync
                  echo 0 > /share/out/rc
                  %2$s
                  status=$?
                  %8$s
                done
                echo "the program ended ($status) without crashing the machine:"; cat /share/out/app.out
                exit 1
                """.formatted(APP, crashLog(mode, "-Dcrashlog.guestCrash=" + place
                        + " -Dcrashlog.guestCrashAfterMillis=" + (kernelWriteback ? 3000 : 0)),
                kernelWriteback ? 1 : 0, kernelWriteback ? 1 : 360000,
                // no journal, no commit interval (the mount refuses commit= there)
                mkfsOptions.contains("^has_journal") ? "rw" : "commit=" + (kernelWriteback ? 1 : 600), device, options,
                DaxGuest.EMULATION_FAULT_OR_BREAK, mkfsOptions);
    }

    /**
     * The command that runs {@code CrashLog <mode>} in the guest under the agent on JDK 25 with {@code properties},
     * its crash journal written through to the host at each point (so that it survives a crash), its output in
     * /share/out/app.out.
     */
    private static String crashLog(String mode, String properties) {
        return "rm -rf /share/out/crash.journal /share/out/crash.journal.files; (cd /tmp && "
                + Jdk.JDK_25.java() + " -XX:ErrorFile=/share/out/hs_err_%p.log " + properties
                + " -javaagent:" + DaxGuest.inGuest(SampleRun.AGENT_JAR)
                + "=crash=/share/out/crash.journal,report=/share/out/app.json -cp "
                + DaxGuest.inGuest(SampleRun.SAMPLE_CLASSES) + ":" + DaxGuest.inGuest(API_CLASSES)
                + " dev.daxaudit.samples.CrashLog " + APP + " " + mode + " > /share/out/app.out 2>&1)";
    }

    /** Every regular file under {@code dir}, by relative path. */
    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static boolean same(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Each file as name, size and the first int of each non-zero page (the samples' records and counts). */
    private static String describe(Map<String, byte[]> files) {
        StringBuilder s = new StringBuilder("{");
        files.forEach((name, bytes) -> {
            s.append(' ').append(name).append(" (").append(bytes.length).append(" bytes:");
            for (int at = 0; at + 4 <= bytes.length; at += 4096) {
                int v = java.nio.ByteBuffer.wrap(bytes, at, 4).getInt();
                if (v != 0) {
                    s.append(" page ").append(at / 4096).append('=').append(Integer.toHexString(v));
                }
            }
            s.append(')');
        });
        return s.append(" }").toString();
    }
}
