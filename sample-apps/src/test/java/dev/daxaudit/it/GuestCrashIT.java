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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
 * then a page can be partly allocated) on a virtio disk, and at a named place the program marks a crash point and reboots the
 * kernel through sysrq {@code b}, which writes nothing back. A second boot mounts the disk (the journal replays) and
 * copies the files out. What the kernel left must be, byte for byte (names, sizes, contents), one of the crash
 * states crash-test enumerates at that point under the {@code ext4} model, every subset of the pending pages and
 * every prefix of the pending operations. The kernel's own writeback and the journal's commit timer are held off
 * (dirty_writeback_centisecs=0, commit=600), so what persisted is what the program's own syncs made durable: each
 * scenario checks the rule that made it so. Three scenarios run again with the kernel's writeback and a 1-second
 * journal commit let run for 3 s before the crash: then everything pending persisted, which must be enumerated too. The crash journal goes to the host over 9p, written through at each
 * point, so it survives the crash.
 */
class GuestCrashIT {
    private static final Path API_CLASSES = Paths.get(System.getProperty("dax.api.classes"));
    private static final String APP = "/mnt/disk/app";

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
            image.setLength(256L << 20);
        }
        Path run = Files.createDirectory(tmp.resolve("run"));
        DaxGuest.boot(run, runScript(mode, place, kernelWriteback), disk);
        Path read = Files.createDirectory(tmp.resolve("read"));
        DaxGuest.boot(read, """
                #!/bin/bash
                export PATH=/usr/bin:/usr/sbin HOME=/root
                set -u
                mkdir -p /mnt/disk && mount -t ext4 /dev/vda /mnt/disk || { echo 'cannot mount the crashed disk'; exit 1; }
                mkdir -p /share/out/after && cp -a %s/. /share/out/after/ && ls -la %s
                umount /mnt/disk
                """.formatted(APP, APP), disk);
        Path after = read.resolve("out/after");

        Path journalFile = run.resolve("out/crash.journal");
        Journal journal = CrashJournalReader.read(journalFile, Persistence.EXT4, Paths.get(APP));
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
                System.out.println("GuestCrashIT " + mode + " at " + place + (kernelWriteback ? " with writeback" : "")
                        + ": the kernel left " + describe(observed)
                        + ", state " + state.index() + " of " + states.size() + " (pending pages persisted: "
                        + state.persistedPages().size() + " of " + crash.dirty().size() + ", pending operations "
                        + "persisted: " + state.opsPersisted() + " of " + crash.pendingOps().size() + ")");
                if (kernelWriteback) {
                    assertEquals(crash.dirty().size() + crash.pendingOps().size(), state.persistedPages().size()
                            + state.opsPersisted(), "with 3 s of writeback and commits, everything pending should "
                            + "have persisted: " + describe(observed));
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
     * Boot one: a fresh ext4 on /dev/vda, writeback and commits held off, sysrq enabled, the status written before
     * the program (which ends the machine) runs. A JVM that dies of SIGILL in fresh C1 code under emulation (exit
     * 134) is run again on a fresh filesystem.
     */
    private static String runScript(String mode, String place, boolean kernelWriteback) {
        String java = Jdk.JDK_25.java().toString();
        String agent = DaxGuest.inGuest(SampleRun.AGENT_JAR);
        String cp = DaxGuest.inGuest(SampleRun.SAMPLE_CLASSES) + ":" + DaxGuest.inGuest(API_CLASSES);
        return """
                #!/bin/bash
                export PATH=/usr/bin:/usr/sbin HOME=/root
                set -u
                echo %7$s > /proc/sys/vm/dirty_writeback_centisecs
                echo %8$s > /proc/sys/vm/dirty_expire_centisecs
                echo 1 > /proc/sys/kernel/sysrq
                mkdir -p /mnt/disk
                for attempt in 1 2 3; do
                  umount /mnt/disk 2>/dev/null
                  mkfs.ext4 -q -F -b 4096 /dev/vda && mount -t ext4 -o commit=%9$s /dev/vda /mnt/disk || { echo 'no disk'; exit 1; }
                  mkdir -p %1$s && sync
                  rm -rf /share/out/crash.journal /share/out/crash.journal.files
                  echo 0 > /share/out/rc
                  (cd /tmp && %2$s -XX:ErrorFile=/share/out/hs_err_%%p.log -Dcrashlog.guestCrash=%3$s -Dcrashlog.guestCrashAfterMillis=%10$s \\
                    -javaagent:%4$s=crash=/share/out/crash.journal,report=/share/out/app.json \\
                    -cp %5$s dev.daxaudit.samples.CrashLog %1$s %6$s > /share/out/app.out 2>&1)
                  status=$?
                  [ $status -eq 134 ] || break
                done
                echo "the program ended ($status) without crashing the machine:"; cat /share/out/app.out
                exit 1
                """.formatted(APP, java, place, agent, cp, mode, kernelWriteback ? 1 : 0,
                kernelWriteback ? 1 : 360000, kernelWriteback ? 1 : 600, kernelWriteback ? 3000 : 0);
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
