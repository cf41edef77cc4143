package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.FileSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a file lives decides the model: DAX, page cache, or memory only (not audited). */
class StorageTest {
    private static final String MOUNTINFO = String.join("\n",
            "22 27 0:21 / /proc rw,relatime - proc proc rw",
            "25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683656k",
            "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
            "40 27 259:1 / /mnt/pmem rw,relatime - ext4 /dev/pmem0 rw,dax",
            "41 27 259:2 / /mnt/xfs\\040pmem rw,relatime - xfs /dev/pmem1 rw,attr2,dax=always",
            "42 27 259:3 / /mnt/inode rw,relatime - xfs /dev/pmem2 rw,dax=inode",
            "43 27 0:50 / /mnt/fuse rw - fuse.sshfs host: rw",
            "44 27 254:0 /srv /srv rw,relatime - ext4 /dev/vda rw,discard");

    private static Storage classify(long major, long minor, String path) {
        return MountTable.classify(MountTable.find(MountTable.parse(MOUNTINFO), dev(major, minor), path));
    }

    /** glibc's makedev. */
    private static long dev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xff);
    }

    @Test
    void daxMountsGetTheDaxModel() {
        Storage s = classify(259, 1, "/mnt/pmem/log");
        assertEquals(Storage.Model.DAX, s.model());
        assertEquals("ext4", s.filesystem());
        assertEquals("/mnt/pmem", s.mountPoint());
        assertEquals(Storage.Model.DAX, classify(259, 2, "/mnt/xfs pmem/log").model());
        assertEquals("/mnt/xfs pmem", classify(259, 2, null).mountPoint());
    }

    @Test
    void blockFilesystemsWithoutDaxGetThePageCacheModel() {
        Storage s = classify(254, 0, "/work/x");
        assertEquals(Storage.Model.PAGE_CACHE, s.model());
        assertEquals("ext4 without dax at /", s.reason());
        assertEquals("/srv", classify(254, 0, "/srv/data/x").mountPoint(), "the longest mount point wins");
        assertTrue(classify(259, 3, "/mnt/inode/x").reason().contains("dax=inode"));
        assertTrue(classify(0, 50, "/mnt/fuse/x").reason().startsWith("unknown filesystem fuse.sshfs"));
    }

    @Test
    void tmpfsIsVolatileAndNotAudited() {
        Storage s = classify(0, 23, "/dev/shm/x");
        assertEquals(Storage.Model.VOLATILE, s.model());
        assertFalse(s.audited());
    }

    @Test
    void anUnknownDeviceOrUnreadableTableFallsBackToThePageCacheAndSaysSo() {
        assertEquals("mount not found in /proc/self/mountinfo: page-cache model assumed",
                classify(9, 9, "/x").reason());
        Storage s = new MountTable("/nonexistent/mountinfo").of(dev(254, 0), "/x");
        assertEquals(Storage.Model.PAGE_CACHE, s.model());
        assertNull(s.filesystem());
    }

    @Test
    void deviceNumbersDecodeBothWays() {
        long d = dev(4097, 300);
        assertEquals(4097, MountTable.major(d));
        assertEquals(300, MountTable.minor(d));
    }

    @Test
    void thisMachinesTableIsReadable(@TempDir Path dir) throws Exception {
        Path f = Files.createFile(dir.resolve("probe"));
        Object key = Files.getAttribute(f, "unix:dev");
        Storage s = MountTable.ofThisProcess().of((Long) key, f.toString());
        assertTrue(s.filesystem() != null, "found " + s.reason());
    }

    @Test
    void filesOnVolatileStorageAreListedButNotAudited() throws Exception {
        EngineFixture f = new EngineFixture("", (device, path) -> MountTable.classify(
                new MountTable.Mount(0, 23, "/dev/shm", "tmpfs", "rw")));
        Vma vma = f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        assertTrue(f.report().findings().isEmpty());
        FileSummary file = f.file();
        assertFalse(file.storage().audited());
        assertEquals("volatile", file.storage().model());
        assertEquals(1, f.report().unauditedFiles());
        assertFalse(vma.isWritable(0));
        f.engine.unmap(BASE);
        assertEquals(0, f.file().mappings().get(0).live());
    }

    @Test
    void theModelOptionOverridesWhatWasDetectedAndSaysSo() throws Exception {
        EngineFixture f = new EngineFixture("model=page-cache", EngineFixture.DAX);
        f.map(BASE, 4, 0);
        f.engine.store(BASE, 8);
        FileSummary file = f.file();
        assertEquals("page-cache", file.storage().model());
        assertEquals("model=page-cache option (detected: dax, test: dax)", file.storage().reason());
        assertNull(file.storage().zeroing());
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    /**
     * An ext4 without a journal is told apart by its sysfs {@code journal_task} ({@code <none>}), found through the
     * device's {@code /sys/dev/block/M:m} link; what cannot be read counts as journaled, as before.
     */
    @Test
    void anExt4WithoutAJournalIsFoundThroughSysfs(@TempDir Path sys) throws Exception {
        Path device = Files.createDirectories(sys.resolve("devices/virtual/block/vdb"));
        Files.createDirectories(sys.resolve("dev/block"));
        Files.createSymbolicLink(sys.resolve("dev/block/252:16"), device);
        Path ext4 = Files.createDirectories(sys.resolve("fs/ext4/vdb"));
        Files.writeString(ext4.resolve("journal_task"), "<none>\n");
        assertFalse(MountTable.hasJournal(sys.toString(), 252, 16));
        Files.writeString(ext4.resolve("journal_task"), "16066\n");
        assertTrue(MountTable.hasJournal(sys.toString(), 252, 16));
        assertTrue(MountTable.hasJournal(sys.toString(), 8, 1), "unknown device: journaled, as before");
        Storage plain = new Storage("ext4", "/data", Storage.Model.PAGE_CACHE, "ext4 at /data");
        assertEquals("ext4", plain.crashFilesystem());
        assertEquals("ext4-nojournal", plain.withoutJournal().crashFilesystem());
        assertEquals("ext4", plain.withoutJournal().filesystem(), "the report names the filesystem as mounted");
    }
}
