package dev.daxaudit.core;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the storage of a file from {@code /proc/self/mountinfo}: the mount whose {@code major:minor} is the file's
 * st_dev, its filesystem type, and whether it is mounted with DAX ({@code dax} or {@code dax=always} among its
 * options). Plain {@code java.io}: this runs inside a hooked {@code FileChannel.map}, where NIO would re-enter
 * the hooks. Results are cached per device.
 */
final class MountTable implements Storage.Probe {
    /** Filesystems that keep data in memory only. */
    private static final Set<String> VOLATILE = Set.of("tmpfs", "ramfs", "hugetlbfs", "devtmpfs");
    /** Block filesystems known to go through the page cache unless mounted with DAX. */
    private static final Set<String> PAGE_CACHE = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs",
            "reiserfs", "vfat", "msdos", "exfat", "ntfs", "ntfs3", "hfsplus", "zfs", "bcachefs", "nilfs2", "udf",
            "overlay");

    /** One line of mountinfo, the fields that matter here. */
    static final class Mount {
        final long major;
        final long minor;
        final String mountPoint;
        final String type;
        final String options;

        Mount(long major, long minor, String mountPoint, String type, String options) {
            this.major = major;
            this.minor = minor;
            this.mountPoint = mountPoint;
            this.type = type;
            this.options = options;
        }
    }

    private final String mountinfo;
    private final Map<Long, Storage> byDevice = new HashMap<>();

    MountTable(String mountinfoPath) {
        this.mountinfo = mountinfoPath;
    }

    /** The table of this process. */
    static MountTable ofThisProcess() {
        return new MountTable("/proc/self/mountinfo");
    }

    @Override
    public synchronized Storage of(long device, String path) {
        Storage s = byDevice.get(device);
        if (s == null) {
            s = classify(find(read(), device, path));
            if ("ext4".equals(s.filesystem()) && !hasJournal("/sys", major(device), minor(device))) {
                s = s.withoutJournal();
            }
            if (s.filesystem() != null) { // an unreadable table is read again next time
                byDevice.put(device, s);
            }
        }
        return s;
    }

    /**
     * Whether the ext4 on block device {@code major:minor} has a journal: its sysfs {@code journal_task} names the
     * jbd2 thread, or {@code <none>} without one. The device's kernel name is where {@code /sys/dev/block/M:m}
     * points. True when it cannot be read (as before this was looked up).
     */
    static boolean hasJournal(String sys, long major, long minor) {
        try {
            String name = new java.io.File(sys + "/dev/block/" + major + ":" + minor).getCanonicalFile().getName();
            try (InputStream in = new FileInputStream(sys + "/fs/ext4/" + name + "/journal_task")) {
                return !new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().equals("<none>");
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private List<Mount> read() {
        try (InputStream in = new FileInputStream(mountinfo)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Parses mountinfo text (proc(5)): {@code id parent major:minor root mountpoint options [tags] - type source superoptions}. */
    static List<Mount> parse(String text) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ");
            int dash = indexOf(f, "-");
            if (f.length < 7 || dash < 6 || dash + 2 >= f.length) {
                continue;
            }
            String[] mm = f[2].split(":");
            try {
                String superOptions = dash + 3 < f.length ? f[dash + 3] : "";
                mounts.add(new Mount(Long.parseLong(mm[0]), Long.parseLong(mm[1]), unescape(f[4]), f[dash + 1],
                        f[5] + "," + superOptions));
            } catch (RuntimeException e) {
                // a line this parser does not understand is skipped, not fatal
            }
        }
        return mounts;
    }

    private static int indexOf(String[] fields, String value) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].equals(value)) {
                return i;
            }
        }
        return -1;
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * The mount of {@code device}: among the mounts of that device (bind mounts share one), the one whose mount
     * point is the longest prefix of {@code path}. Null when the table is unreadable or has no such device.
     */
    static Mount find(List<Mount> mounts, long device, String path) {
        if (mounts == null) {
            return null;
        }
        long major = major(device);
        long minor = minor(device);
        Mount best = null;
        for (Mount m : mounts) {
            if (m.major == major && m.minor == minor && (best == null || prefixes(m, path)
                    && (!prefixes(best, path) || m.mountPoint.length() > best.mountPoint.length()))) {
                best = m;
            }
        }
        return best;
    }

    private static boolean prefixes(Mount m, String path) {
        return path != null && (m.mountPoint.equals("/") || path.equals(m.mountPoint)
                || path.startsWith(m.mountPoint + "/"));
    }

    /** glibc's dev_t layout: major in bits 8-19 and 32-43, minor in bits 0-7 and 20-31. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L);
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
    }

    static Storage classify(Mount m) {
        if (m == null) {
            return new Storage(null, null, Storage.Model.PAGE_CACHE,
                    "mount not found in /proc/self/mountinfo: page-cache model assumed");
        }
        String options = "," + m.options + ",";
        if (options.contains(",dax,") || options.contains(",dax=always,")) {
            return new Storage(m.type, m.mountPoint, Storage.Model.DAX, m.type + " mounted with dax at "
                    + m.mountPoint);
        }
        if (VOLATILE.contains(m.type)) {
            return new Storage(m.type, m.mountPoint, Storage.Model.VOLATILE, m.type + " at " + m.mountPoint
                    + " keeps data in memory only: nothing can be made durable there, so it is not audited");
        }
        if (options.contains(",dax=inode,")) {
            return new Storage(m.type, m.mountPoint, Storage.Model.PAGE_CACHE, m.type + " mounted dax=inode at "
                    + m.mountPoint + ": per-file DAX is not visible from here, page-cache model assumed");
        }
        if (PAGE_CACHE.contains(m.type)) {
            return new Storage(m.type, m.mountPoint, Storage.Model.PAGE_CACHE, m.type + " without dax at "
                    + m.mountPoint);
        }
        return new Storage(m.type, m.mountPoint, Storage.Model.PAGE_CACHE, "unknown filesystem " + m.type
                + " at " + m.mountPoint + ": page-cache model assumed");
    }
}
