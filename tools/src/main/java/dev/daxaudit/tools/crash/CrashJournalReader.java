package dev.daxaudit.tools.crash;

import dev.daxaudit.core.CrashJournal;
import dev.daxaudit.core.report.Site;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a crash journal ({@link CrashJournal}) into its crash points, each with the durable image as of that point
 * (per file: size and the pages syncs made durable), the pages stored and not yet durable, and the namespace
 * operations (create, rename, unlink) durable and pending under a {@link Persistence} model. A journal cut short (the
 * JVM was killed) keeps every point up to the cut.
 *
 * <p>Files are followed as inodes: a file keeps its identity across renames, so a state shows it under the name it
 * has there. Only operations on audited files (mapped ones) and on names they hold count; the others (a log file
 * created, a lock deleted) change nothing in a state.
 */
public final class CrashJournalReader {
    /** Bits of a sync's {@code changes}: it made pages durable, it persisted a new size, or unknown (not audited). */
    static final int CHANGED_PAGES = 1;
    static final int CHANGED_SIZE = 2;
    static final int CHANGES_UNKNOWN = 4;
    /** The sync wrote back a page without blocks allocated before (a hole at first sight, never synced since). */
    static final int CHANGED_ALLOCATION = 8;

    private CrashJournalReader() {
    }

    /**
     * A file of the journal: its path at first map, where its first-map content was copied, its filesystem, and the
     * pages of that copy that hold data, as pairs (first page, pages): every other page of it is zeros, never read.
     */
    /** A journaled file; {@code mapped}: the program mapped it (else it only wrote it through the write family). */
    public record AuditedFile(int index, String path, Path firstMapCopy, String filesystem, long[] dataRuns,
                              boolean mapped) {
        /** Whether page {@code pgoff} of the first-map copy holds data (else it reads as zeros). */
        public boolean holdsData(long pgoff) {
            for (int r = 0; r + 1 < dataRuns.length && dataRuns[r] <= pgoff; r += 2) {
                if (pgoff < dataRuns[r] + dataRuns[r + 1]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A page stored and not durable at a crash point, with its content then. */
    /**
     * {@code allocates}: the page has no blocks allocated yet (a hole at first sight, never synced), so its
     * writeback allocates them in a journal transaction.
     */
    public record DirtyPage(int file, long pgoff, long storedAtNanos, Site site, byte[] content, boolean allocates) {
    }

    /** The durable image of one file at a point. */
    public record Durable(long size, Map<Long, byte[]> pages) {
    }

    /**
     * A namespace operation: {@code type} C (create {@code path}), R (rename {@code path} to {@code to}), L (hard link
     * of {@code path}'s file as {@code to}), U (unlink {@code path}) or T (size change); {@code inode} the file it
     * created (C), else -1.
     */
    /**
     * {@code replaces}: a rename over a file that had the name; {@code file}: the journalled file it creates, moves or
     * removes, or -1; {@code nanos}: when it was done, on the clock of the pages' stores.
     */
    public record NamespaceOp(int index, char type, String path, String to, Site site, String thread, int inode,
                              long nanos, boolean replaces, int file, long size) {
        public String describe() {
            return switch (type) {
                case 'C' -> "the creation of " + path;
                case 'R' -> "the rename of " + Paths.get(path).getFileName() + " to " + to;
                case 'L' -> "the link of " + Paths.get(path).getFileName() + " as " + to;
                case 'T' -> "the size change of " + Paths.get(path).getFileName() + " to " + size + " bytes";
                default -> "the unlink of " + path;
            } + " at " + site;
        }

        /** The directories whose fsync persists it (none for a size change: a commit, or its file's sync). */
        public List<String> directories() {
            if (type == 'T') {
                return List.of();
            }
            String from = Paths.get(path).getParent().toString();
            if (type == 'L') {
                return List.of(Paths.get(to).getParent().toString()); // the new entry; the inode's count is journaled
            }
            if (type != 'R') {
                return List.of(from);
            }
            String into = Paths.get(to).getParent().toString();
            return from.equals(into) ? List.of(from) : List.of(from, into);
        }
    }

    /** {@code sizes}: each file's size as the program saw it at the point (its durable size is in {@code durable}). */
    public record Point(int index, String kind, String label, Site site, String thread, Map<Integer, Durable> durable,
                 List<DirtyPage> dirty, List<NamespaceOp> durableOps, List<NamespaceOp> pendingOps,
                 Map<Integer, Long> sizes) {
        public String describe() {
            return (kind.equals("marker") ? "marker '" + label + "'" : kind.equals("exit") ? "exit"
                    : kind.equals("force") || kind.equals("fsync") || kind.equals("create") || kind.equals("rename")
                    || kind.equals("unlink") || kind.equals("link") ? "after " + kind
                    : kind.startsWith("before-") ? "before " + kind.substring("before-".length()) : "before " + kind)
                    + " at " + site + " on " + thread;
        }
    }

    /**
     * The journal read under {@code persistence}: its files, points and namespace operations; {@code initialNames}
     * are the names audited files had before any operation of the run (inode by path), {@code fileOfInode} which
     * audited file each inode is.
     */
    public record Journal(List<AuditedFile> files, List<Point> points, boolean complete, Persistence persistence,
                   boolean persistenceChosen, Map<String, Integer> initialNames, Map<Integer, Integer> fileOfInode,
                   Path root) {
        /** Every path an audited file had in the run: the crash image keeps the directories that hold them. */
        public List<String> paths() {
            return paths(null);
        }

        /** Every path the files {@code only} (null: every file) had in the run, in program order. */
        public List<String> paths(Set<Integer> only) {
            Set<String> out = new java.util.LinkedHashSet<>();
            for (AuditedFile f : files) {
                if (only == null || only.contains(f.index())) {
                    out.add(f.path());
                }
            }
            if (!points.isEmpty()) {
                Point last = points.get(points.size() - 1); // a crash point follows every operation
                List<NamespaceOp> all = new ArrayList<>(last.durableOps());
                all.addAll(last.pendingOps());
                for (int k = 0; k <= all.size(); k++) {
                    names(all.subList(0, k)).forEach((path, file) -> {
                        if (only == null || only.contains(file)) {
                            out.add(path);
                        }
                    });
                }
                for (NamespaceOp op : all) { // under posix a name can persist without the operations before it
                    if (op.type() != 'T' && (only == null || only.contains(op.file()))) {
                        out.add(op.type() == 'R' || op.type() == 'L' ? op.to() : op.path());
                    }
                }
            }
            return new ArrayList<>(out);
        }

        /** The names of audited files (file index by path) once {@code persisted} operations, in order, are done. */
        public Map<String, Integer> names(List<NamespaceOp> persisted) {
            Map<String, Integer> inodes = new HashMap<>(initialNames);
            for (NamespaceOp op : persisted) {
                switch (op.type()) {
                    case 'C' -> inodes.put(op.path(), op.inode());
                    case 'R' -> {
                        Integer moved = inodes.remove(op.path());
                        if (moved != null) {
                            inodes.put(op.to(), moved);
                        } // else its source never persisted: nothing moves
                    }
                    case 'L' -> {
                        Integer linked = inodes.get(op.path());
                        if (linked != null) {
                            inodes.put(op.to(), linked);
                        } // else the name it links never persisted: a crash cannot keep the link without it
                    }
                    case 'U' -> inodes.remove(op.path());
                    default -> {
                        // 'T', a size change: no name changes
                    }
                }
            }
            Map<String, Integer> out = new java.util.TreeMap<>();
            inodes.forEach((path, inode) -> {
                Integer file = fileOfInode.get(inode);
                if (file != null) {
                    out.put(path, file);
                }
            });
            return out;
        }
    }

    /** The journal under the model of the filesystems its files live on ({@link Persistence#of}). */
    public static Journal read(Path journal) throws IOException {
        return read(journal, null);
    }

    /** The journal under {@code persistence}, or with null the model of its files' filesystems. */
    public static Journal read(Path journal, Persistence persistence) throws IOException {
        return read(journal, persistence, null);
    }

    /**
     * The journal under {@code persistence} (null: the model of its files' filesystems), over the files first seen
     * under {@code root}. With a null root, the deepest directory of every name a mapped file had (of every file's
     * when none was mapped): a log the program wrote elsewhere stays out of the states.
     */
    public static Journal read(Path journal, Persistence persistence, Path root) throws IOException {
        Raw raw = Raw.read(journal);
        Set<Integer> every = new java.util.HashSet<>();
        raw.files.forEach(f -> every.add(f.index()));
        Path tree = root;
        if (tree == null && !raw.files.isEmpty()) {
            Journal all = raw.replay(Persistence.POSIX, false, every, null);
            tree = CrashImage.root(all.paths(raw.mapped.isEmpty() ? null : raw.mapped));
        }
        Set<Integer> kept = new java.util.HashSet<>();
        List<String> filesystems = new ArrayList<>();
        for (AuditedFile f : raw.files) {
            if (tree == null || Paths.get(f.path()).startsWith(tree)) {
                kept.add(f.index());
                filesystems.add(f.filesystem());
            }
        }
        Persistence model = persistence != null ? persistence : Persistence.of(filesystems);
        return raw.replay(model, persistence != null, kept, tree);
    }

    /** The journal's records as read, before a model says which operations are durable when. */
    private static final class Raw {
        final List<AuditedFile> files = new ArrayList<>();
        final List<Object> records = new ArrayList<>();
        /** The files the program mapped (the others it only wrote through the write family). */
        final Set<Integer> mapped = new java.util.HashSet<>();
        boolean complete;

        /** A file's first sight: its content then is in its copy, and {@code size} its length. */
        record FileRecord(int file, long size) {
        }

        record PageRecord(int file, long pgoff, byte[] content) {
        }

        record SizeRecord(int file, long size) {
        }

        /** ftruncate set a file's size: {@code T} in the journal. */
        record ResizeRecord(int file, long size, Site site, String thread, long nanos) {
        }

        record SyncRecord(char kind, String path, int file, int changes, boolean directory) {
        }

        record OpRecord(char type, String path, String to, Site site, String thread, long nanos, boolean replaces) {
        }

        record PointRecord(String kind, String label, Site site, String thread, List<DirtyPage> dirty,
                           Map<Integer, Long> sizes) {
        }

        static Raw read(Path journal) throws IOException {
            Raw raw = new Raw();
            // Page images of syncs in flight, by sync: durable only at the sync's K record (one that threw has none).
            Map<Integer, List<PageRecord>> inFlight = new HashMap<>();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(journal)))) {
                int format = in.readInt();
                if (format != CrashJournal.FORMAT) {
                    throw new IOException("crash journal format " + format + ", this version reads "
                            + CrashJournal.FORMAT);
                }
                loop:
                while (true) {
                    int record;
                    try {
                        record = in.readUnsignedByte();
                    } catch (EOFException e) {
                        break; // cut short: the points read so far stand
                    }
                    switch (record) {
                        case 'F' -> {
                            int n = in.readInt();
                            String path = normal(in.readUTF());
                            long size = in.readLong();
                            String fs = in.readUTF();
                            long[] runs = new long[2 * in.readInt()];
                            for (int r = 0; r < runs.length; r++) {
                                runs[r] = in.readLong();
                            }
                            raw.files.add(new AuditedFile(n, path,
                                    CrashJournal.copies(journal).resolve(Integer.toString(n)), fs, runs, false));
                            raw.records.add(new FileRecord(n, size));
                        }
                        case 'M' -> raw.mapped.add(in.readInt());
                        case 'D' -> raw.records.add(new PageRecord(in.readInt(), in.readLong(), page(in)));
                        case 'B' -> inFlight.computeIfAbsent(in.readInt(), t -> new ArrayList<>())
                                .add(new PageRecord(in.readInt(), in.readLong(), page(in)));
                        case 'K' -> {
                            List<PageRecord> images = inFlight.remove(in.readInt());
                            if (images != null) {
                                raw.records.addAll(images);
                            }
                        }
                        case 'S' -> raw.records.add(new SizeRecord(in.readInt(), in.readLong()));
                        case 'Y' -> raw.records.add(new SyncRecord((char) in.readUnsignedByte(), normal(in.readUTF()),
                                in.readInt(), in.readUnsignedByte(), in.readBoolean()));
                        case 'N' -> {
                            char type = (char) in.readUnsignedByte();
                            String path = normal(in.readUTF());
                            String to = in.readUTF();
                            raw.records.add(new OpRecord(type == 'O' ? 'R' : type, path, to.isEmpty() ? null
                                    : normal(to), site(in), in.readUTF(), in.readLong(), type == 'O'));
                        }
                        case 'T' -> raw.records.add(new ResizeRecord(in.readInt(), in.readLong(), site(in),
                                in.readUTF(), in.readLong()));
                        case 'P' -> raw.records.add(point(in));
                        case 'E' -> {
                            raw.complete = true;
                            break loop;
                        }
                        default -> throw new IOException("corrupt crash journal: record type " + record);
                    }
                }
            } catch (EOFException e) {
                // a record cut in the middle: the points before it stand
            }
            raw.files.replaceAll(f -> raw.mapped.contains(f.index()) ? new AuditedFile(f.index(), f.path(),
                    f.firstMapCopy(), f.filesystem(), f.dataRuns(), true) : f);
            return raw;
        }

        private static PointRecord point(DataInputStream in) throws IOException {
            String kind = in.readUTF();
            String label = in.readUTF();
            Site site = site(in);
            String thread = in.readUTF();
            List<DirtyPage> dirty = new ArrayList<>();
            Map<Integer, Long> sizes = new HashMap<>();
            for (int file = in.readInt(); file >= 0; file = in.readInt()) {
                sizes.put(file, in.readLong()); // the size now: durable only as a sync made it
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    long pgoff = in.readLong();
                    long nanos = in.readLong();
                    Site storeSite = site(in);
                    boolean allocates = in.readBoolean();
                    dirty.add(new DirtyPage(file, pgoff, nanos, storeSite, page(in), allocates));
                }
            }
            dirty.sort((a, b) -> a.storedAtNanos() != b.storedAtNanos()
                    ? Long.compare(a.storedAtNanos(), b.storedAtNanos())
                    : a.file() != b.file() ? Integer.compare(a.file(), b.file()) : Long.compare(a.pgoff(), b.pgoff()));
            return new PointRecord(kind, label, site, thread, dirty, sizes);
        }

        /**
         * The points under {@code model}. First the run's namespace as the program saw it, to know each operation's
         * inode and which inodes are audited files; then the operations' durability, point by point.
         */
        Journal replay(Persistence model, boolean chosen, Set<Integer> kept, Path root) {
            // 1: inodes
            Map<String, Integer> live = new HashMap<>();
            Map<String, Integer> initial = new HashMap<>();
            Map<Integer, Integer> fileOfInode = new HashMap<>();
            Set<Integer> namedBefore = new HashSet<>(); // inodes
            Set<Integer> beforeTheRun = new HashSet<>(); // files whose inode had a name before the run
            Map<OpRecord, int[]> touched = new java.util.IdentityHashMap<>(); // inode moved/created/removed, replaced
            int[] nextInode = {0};
            java.util.function.Function<String, Integer> inodeAt = path -> live.computeIfAbsent(path, p -> {
                int inode = nextInode[0]++;
                initial.put(p, inode); // named before the run: durable from the start
                namedBefore.add(inode);
                return inode;
            });
            for (Object r : records) {
                if (r instanceof FileRecord f && kept.contains(f.file())) {
                    int inode = inodeAt.apply(files.get(f.file()).path());
                    fileOfInode.put(inode, f.file());
                    if (namedBefore.contains(inode)) {
                        beforeTheRun.add(f.file());
                    }
                } else if (r instanceof OpRecord op) {
                    switch (op.type()) {
                        case 'C' -> {
                            int inode = nextInode[0]++;
                            Integer replaced = live.put(op.path(), inode);
                            touched.put(op, new int[] {inode, replaced == null ? -1 : replaced});
                        }
                        case 'R' -> {
                            int inode = inodeAt.apply(op.path());
                            live.remove(op.path());
                            Integer replaced = live.put(op.to(), inode);
                            touched.put(op, new int[] {inode, replaced == null ? -1 : replaced});
                        }
                        case 'L' -> {
                            int inode = inodeAt.apply(op.path());
                            live.put(op.to(), inode); // link(2) fails when the name exists: nothing replaced
                            touched.put(op, new int[] {inode, -1});
                        }
                        default -> {
                            int inode = inodeAt.apply(op.path());
                            live.remove(op.path());
                            touched.put(op, new int[] {inode, -1});
                        }
                    }
                }
            }
            // 2: durability
            Map<Integer, Long> sizes = new HashMap<>();
            Map<Integer, Map<Long, byte[]>> pages = new HashMap<>();
            // A file named before the run is in every state from the start, not only from its first sight: until
            // then nothing the agent saw changed it, so its first-sight copy and size are what it held.
            for (Object r : records) {
                if (r instanceof FileRecord f && beforeTheRun.contains(f.file())) {
                    sizes.put(f.file(), f.size());
                    pages.put(f.file(), new HashMap<>());
                }
            }
            NamespaceOp awaitingPoint = null; // the crash point right after an operation has the pages as it left them
            Map<NamespaceOp, PointRecord> pointAfter = new HashMap<>();
            List<NamespaceOp> durableOps = new ArrayList<>();
            Map<NamespaceOp, Set<String>> pending = new LinkedHashMap<>(); // directories still to be fsynced
            Set<Integer> newEntry = new HashSet<>(); // files whose name was added since their last sync
            // ext4 without a journal: pages a datasync wrote into new blocks while the inode stayed unwritten, by
            // file (see unreachable()); the last sync's page records of each file, with what the page was before;
            // and each pending page as the agent last listed it, for the site a page kept pending here is named by.
            Map<Integer, Map<Long, byte[]>> unreachable = new HashMap<>();
            Map<Integer, Map<Long, byte[]>> staged = new HashMap<>();
            Map<List<Long>, DirtyPage> lastListed = new HashMap<>();
            List<Point> points = new ArrayList<>();
            for (Object r : records) {
                if (r instanceof FileRecord f) {
                    pages.put(f.file(), new HashMap<>());
                    if (kept.contains(f.file())) {
                        sizes.put(f.file(), f.size());
                    }
                } else if (r instanceof PageRecord p) {
                    byte[] before = pages.get(p.file()).put(p.pgoff(), p.content());
                    if (model == Persistence.EXT4_NOJOURNAL) {
                        staged.computeIfAbsent(p.file(), k -> new HashMap<>()).putIfAbsent(p.pgoff(), before);
                    }
                } else if (r instanceof SizeRecord s && kept.contains(s.file())) {
                    sizes.put(s.file(), s.size());
                } else if (r instanceof OpRecord op) {
                    int[] inodes = touched.get(op);
                    if (fileOfInode.containsKey(inodes[0]) || fileOfInode.containsKey(inodes[1])) {
                        NamespaceOp o = new NamespaceOp(durableOps.size() + pending.size(), op.type(), op.path(),
                                op.to(), op.site(), op.thread(), op.type() == 'C' ? inodes[0] : -1, op.nanos(),
                                op.replaces(), fileOfInode.getOrDefault(inodes[0], -1), -1);
                        pending.put(o, new HashSet<>(o.directories()));
                        awaitingPoint = o;
                        if (o.file() >= 0 && (o.type() == 'C' || o.type() == 'L' || o.type() == 'R' && !o.replaces())) {
                            newEntry.add(o.file()); // ext4_add_entry: EXT4_STATE_NEWENTRY
                        }
                    }
                } else if (r instanceof ResizeRecord t && model == Persistence.EXT4 && kept.contains(t.file())) {
                    // ext4: i_disksize is journaled metadata, ordered with the namespace operations and persisted by
                    // the next commit of the journal, whatever sync causes it (or the commit timer). Under posix a
                    // size persists only with a sync of its file, which the durable sizes already say.
                    NamespaceOp o = new NamespaceOp(durableOps.size() + pending.size(), 'T',
                            files.get(t.file()).path(), null, t.site(), t.thread(), -1, t.nanos(), false, t.file(),
                            t.size());
                    pending.put(o, new HashSet<>());
                } else if (r instanceof SyncRecord s) {
                    if (model == Persistence.EXT4_NOJOURNAL && s.file() >= 0 && pages.containsKey(s.file())) {
                        unreachable(s, newEntry.contains(s.file()), files.get(s.file()), pages.get(s.file()),
                                staged.remove(s.file()), unreachable.computeIfAbsent(s.file(), k -> new HashMap<>()));
                    }
                    boolean isNew = false;
                    for (NamespaceOp o : pending.keySet()) {
                        isNew |= o.type() == 'C' && Integer.valueOf(s.file()).equals(fileOfInode.get(o.inode()));
                    }
                    if (model.commits(s.kind(), s.changes(), s.directory(), isNew)) {
                        for (NamespaceOp o : pending.keySet()) {
                            flushedByRename(model, o, pointAfter.get(o), pages, sizes);
                            if (o.type() == 'T' && o.file() != s.file() && sizes.containsKey(o.file())) {
                                sizes.put(o.file(), o.size()); // the synced file's own size record is newer
                            }
                        }
                        durableOps.addAll(pending.keySet());
                        pending.clear();
                    } else if (s.directory() || model.syncsParent() && newEntry.remove(s.file())) {
                        // A directory's fsync, or (ext4 without a journal) a new name's file synced with its parent.
                        String dir = s.directory() ? s.path() : normal(Paths.get(s.path()).getParent().toString());
                        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                            var e = it.next();
                            if (e.getKey().type() == 'T') {
                                continue; // a directory's fsync that commits nothing leaves sizes as they are
                            }
                            e.getValue().remove(dir);
                            if (e.getValue().isEmpty()) {
                                durableOps.add(e.getKey());
                                it.remove();
                            }
                        }
                        durableOps.sort(java.util.Comparator.comparingInt(NamespaceOp::index));
                    }
                } else if (r instanceof PointRecord p) {
                    if (awaitingPoint != null) {
                        pointAfter.put(awaitingPoint, p);
                        awaitingPoint = null;
                    }
                    Map<Integer, Durable> durable = new HashMap<>();
                    for (Map.Entry<Integer, Long> e : sizes.entrySet()) {
                        durable.put(e.getKey(), new Durable(e.getValue(), new HashMap<>(pages.get(e.getKey()))));
                    }
                    List<DirtyPage> dirty = new ArrayList<>(p.dirty().stream().filter(d -> kept.contains(d.file()))
                            .toList());
                    for (DirtyPage d : dirty) {
                        lastListed.put(List.of((long) d.file(), d.pgoff()), d);
                    }
                    for (Map.Entry<Integer, Map<Long, byte[]>> file : unreachable.entrySet()) {
                        for (Map.Entry<Long, byte[]> page : file.getValue().entrySet()) {
                            DirtyPage listed = lastListed.get(List.of((long) file.getKey(), page.getKey()));
                            if (listed != null && dirty.stream().noneMatch(d -> d.file() == listed.file()
                                    && d.pgoff() == listed.pgoff())) {
                                dirty.add(new DirtyPage(listed.file(), listed.pgoff(), listed.storedAtNanos(),
                                        listed.site(), page.getValue(), true));
                            }
                        }
                    }
                    points.add(new Point(points.size(), p.kind(), p.label(), p.site(), p.thread(), durable, dirty,
                            List.copyOf(durableOps), List.copyOf(pending.keySet()), p.sizes()));
                }
            }
            return new Journal(files, points, complete, model, chosen, initial, fileOfInode, root);
        }
    }

    /**
     * ext4 without a journal: a sync writes the pages it covers, but the inode that maps new blocks to the file only
     * when the inode is dirty for it ({@code generic_buffers_fsync_noflush}: {@code sync_inode_metadata} only with
     * {@code I_DIRTY_DATASYNC} for a datasync). A block allocation at writeback updates the inode buffer
     * ({@code ext4_mark_inode_dirty}) without making the inode dirty for the VFS, so an msync or fdatasync that
     * allocates without changing the size, of a file not new, leaves those pages unreachable: after a crash they read
     * as holes (seen in a crashed guest: a log's count page and later records, each msynced, were gone). They stay
     * pending until a sync that writes the inode: an fsync, or a datasync that changes the size or follows a new
     * name. {@code staged}: the pages this sync wrote, with what they were durable as before (null: nothing).
     */
    private static void unreachable(Raw.SyncRecord s, boolean newName, AuditedFile file, Map<Long, byte[]> pages,
                                    Map<Long, byte[]> staged, Map<Long, byte[]> unreachable) {
        boolean writesInode = s.kind() == 'f' || newName || (s.changes() & CHANGED_SIZE) != 0
                || s.changes() == CHANGES_UNKNOWN;
        if (writesInode) {
            for (Map.Entry<Long, byte[]> page : unreachable.entrySet()) {
                pages.putIfAbsent(page.getKey(), page.getValue()); // a newer image of it is durable already
            }
            unreachable.clear();
            return;
        }
        if (staged == null) {
            return;
        }
        for (Map.Entry<Long, byte[]> page : staged.entrySet()) {
            long pgoff = page.getKey();
            // Its block is new, or was allocated by an earlier sync that left the inode unwritten: not mapped yet.
            if (unreachable.containsKey(pgoff) || page.getValue() == null && !file.holdsData(pgoff)) {
                unreachable.put(pgoff, pages.remove(pgoff));
            }
        }
    }

    /**
     * ext4's {@code auto_da_alloc}: a rename over an existing file flushes the renamed file's dirty pages first
     * ({@code ext4_rename} -> {@code ext4_alloc_da_blocks} -> {@code filemap_flush}), which allocates their blocks in
     * the running transaction, and data=ordered writes them before that transaction commits: when the rename is
     * durable, so are the pages stored before it, with the size they need. {@code after} is the crash point right
     * after the rename, whose pending pages are the file's as the rename left them. Checked in a crashed guest.
     */
    private static void flushedByRename(Persistence model, NamespaceOp o, Raw.PointRecord after,
                                        Map<Integer, Map<Long, byte[]>> pages, Map<Integer, Long> sizes) {
        if (model != Persistence.EXT4 || !o.replaces() || o.file() < 0 || after == null) {
            return;
        }
        for (DirtyPage d : after.dirty()) {
            if (d.file() == o.file() && d.storedAtNanos() < o.nanos()) {
                pages.get(d.file()).put(d.pgoff(), d.content());
            }
        }
        Long size = after.sizes().get(o.file());
        if (size != null && sizes.containsKey(o.file())) {
            sizes.put(o.file(), size);
        }
    }

    /** Absolute paths as one spelling: a directory's fsync by {@code dir/.} persists {@code dir}'s entries. */
    private static String normal(String path) {
        return Paths.get(path).normalize().toString();
    }

    private static Site site(DataInputStream in) throws IOException {
        String className = in.readUTF();
        String method = in.readUTF();
        String fileName = in.readUTF();
        return new Site(className, method, fileName.isEmpty() ? null : fileName, in.readInt());
    }

    private static byte[] page(DataInputStream in) throws IOException {
        byte[] page = new byte[4096];
        in.readFully(page);
        return page;
    }
}
