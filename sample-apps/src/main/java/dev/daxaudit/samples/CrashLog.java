package dev.daxaudit.samples;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Three records written through mappings, in an order that survives a crash or one that does not, for
 * {@code crash-test} with {@link CrashLogCheck} as the recovery check. Record i is page i (of data.dat, or page
 * 1 + i of log.dat, whose page 0 holds the record count), starting with {@link #MAGIC} + i.
 * <ul>
 * <li>{@code header-first}: the count is forced before the record it counts: a crash between the two leaves a
 *     count that names a record that is not there.</li>
 * <li>{@code records-first}: the record is forced, then the count; every crash state is consistent. It marks a
 *     crash point after each commit ({@code DaxAudit.crashPoint}).</li>
 * <li>{@code grow-unsynced}: the file, mapped one page long, is grown with setLength and written through a new
 *     mapping, records forced before the count, the size change never fsynced: consistent on Linux, where the
 *     msync that persists the records persists the size needed to read them too (fdatasync semantics).</li>
 * <li>{@code grow-fsynced}: the same with an fsync after the setLength.</li>
 * <li>{@code map-grown-header-first}: a new, empty file grown by {@code map()} (the most common Java pattern), never
 *     fsynced, the count forced before each record: after a crash between the two the count names a missing
 *     record.</li>
 * <li>{@code map-grown-records-first}: its correct twin, each record forced before the count.</li>
 * <li>{@code deleted-unsynced}: a manifest stored through a mapping and deleted before any force (replaced at open,
 *     as stores do), then a correct log: the deleted file's pages drop out of later states.</li>
 * <li>{@code rename-unsynced}: a segment filled under {@code seg.tmp} (created and grown by {@code map()}, records
 *     and count forced), renamed to {@code seg.dat}, then named complete in {@code manifest.dat} (created, fsynced,
 *     its directory fsynced), forced: the rename's directory is never fsynced, so a crash can leave the manifest
 *     naming a segment that is still called seg.tmp. Found under both persistence models (the manifest's msync
 *     overwrites an allocated block and changes no size, so it commits nothing on ext4; checked in a crashed
 *     guest).</li>
 * <li>{@code rename-dirsynced}: its correct twin, the directory fsynced after the rename.</li>
 * <li>{@code link-unsynced}: the same segment installed the way a store that must never replace a name does: a hard
 *     link seg.dat to seg.tmp ({@code Files.createLink}, link(2) fails where the name exists), then seg.tmp
 *     unlinked; no directory fsync, so a crash can leave the manifest naming a seg.dat whose entry is lost.</li>
 * <li>{@code link-dirsynced}: its correct twin, the directory fsynced after the unlink.</li>
 * <li>{@code new-segment}: seg.dat created and grown by {@code map()} under its final name, never a directory fsync:
 *     under {@code posix} a crash can leave the manifest naming a segment whose directory entry is lost; under
 *     {@code ext4} the segment's first msync, which persists its new size, commits its creation.</li>
 * <li>{@code cross-dir-unsynced}: seg.dat written in segments/ and fsynced, then meta/MANIFEST naming it written
 *     and fsynced; neither directory fsynced. Under {@code posix} the two directories' entries persist in either
 *     order, so a crash can keep the manifest without the segment; under {@code ext4} the fsync of a new file commits
 *     its creation, in order.</li>
 * <li>{@code cross-dir-dirsynced}: its correct twin, segments/ fsynced before the manifest is created.</li>
 * <li>{@code written-index-first}: data.dat written with {@code write(2)}, a whole page per record appended through
 *     three descriptors in turn ({@code FileChannel.write}, {@code RandomAccessFile.write}, a
 *     {@code FileOutputStream} in append mode), its offsets in index.dat through a mapping; the index is forced
 *     before the data is fdatasynced, so a crash can leave the index naming a record whose page was never written
 *     back.</li>
 * <li>{@code written-data-first}: its correct twin, {@code FileChannel.force(false)} (fdatasync, which writes back
 *     what every descriptor of the file wrote) before the index's force.</li>
 * <li>{@code transfer-index-first}: the same data appended to data.dat by {@code FileChannel.transferTo} from a
 *     staging file (the JDK copies with copy_file_range or sendfile, never through data.dat's own write), the index
 *     forced before the data is fdatasynced.</li>
 * <li>{@code transfer-data-first}: its correct twin.</li>
 * <li>{@code sync-thread-count-after}: a group commit: records appended to data.dat with {@code write(2)} by the
 *     main thread while a thread of its own fdatasyncs data.dat and then publishes the count of records in index.dat
 *     (a mapping, forced); it reads the count after the fdatasync returns, so a record appended while the
 *     fdatasync ran is counted but not covered by it.</li>
 * <li>{@code sync-thread-count-before}: its correct twin, the count read before the fdatasync starts.</li>
 * <li>{@code sync-thread-msync-count-after}: the same group commit over data.dat also mapped (as a reader maps a
 *     log it appends with {@code write(2)}), the thread forcing the mapping (msync) instead of an fdatasync: one
 *     page cache, so the force covers the records written before it started, and not one appended while it ran.</li>
 * <li>{@code sync-thread-msync-count-before}: its correct twin.</li>
 * <li>{@code replace-unsynced}: CURRENT (magic, generation) installed fsynced, then replaced three times the classic
 *     way: the new content written to CURRENT.tmp with a {@code FileOutputStream}, renamed over CURRENT, the
 *     directory fsynced; but the new file is never fsynced before the rename, so under POSIX a crash can leave
 *     CURRENT empty. ext4 flushes a
 *     file renamed over another before the rename commits ({@code auto_da_alloc}), so there it passes.</li>
 * <li>{@code replace-synced}: its correct twin, CURRENT.tmp fsynced before the rename.</li>
 * <li>{@code trim-unsynced}: seg.dat preallocated to {@link #PREALLOCATED} pages (setLength, fsync), records and
 *     count stored through a mapping and forced, then sealed as logs seal a segment at roll: trimmed to the length
 *     it uses ({@code FileChannel.truncate}) and named complete in manifest.dat, forced. The truncate is never
 *     synced, so a crash can leave the manifest naming a sealed segment that still has its preallocated length
 *     (recovery that trusts a sealed segment's length reads zeros as records).</li>
 * <li>{@code trim-synced}: its correct twin, {@code force(false)} (fdatasync, which persists the new size) between
 *     the truncate and the manifest.</li>
 * <li>{@code written-trim-manifest-fsynced}: the same segment written with {@code write(2)} (records and count,
 *     each fdatasynced), trimmed, never synced, and named sealed in manifest.dat written and fsynced: under
 *     {@code ext4} the manifest's fsync commits the journal and with it the truncate (a size set by ftruncate is
 *     journaled metadata), but the manifest's page reaches the disk before that commit, so a crash during the fsync
 *     leaves it sealed over the untrimmed segment; under {@code posix} only a sync of seg.dat persists its size.</li>
 * <li>{@code written-trim-synced}: its correct twin on any filesystem, seg.dat fdatasynced after its trim.</li>
 * <li>{@code created-unsynced}: wal.dat created, preallocated with setLength and fsynced, never written or mapped,
 *     then named ready in meta.dat (stored through a mapping, forced), its directory never fsynced: under
 *     {@code posix} a crash can leave meta.dat naming a wal.dat whose directory entry is lost; under {@code ext4}
 *     the fsync of the new file commits its creation.</li>
 * <li>{@code created-dirsynced}: its correct twin, the directory fsynced after wal.dat's fsync: every state that
 *     names it ready holds it, whole, although the program never wrote it.</li>
 * <li>{@code index-first} / {@code data-first}: a data file and an index file (count, then one offset per record);
 *     the index is forced before, or after, the data it points to.</li>
 * <li>{@code valid-flag}: one record in flagged.dat whose valid flag (bytes 0-3) and payload (from byte 64, the
 *     next cache line) are stored and then forced together: consistent if pages persist whole, not on DAX, where
 *     the flag's cache line may reach the media without the payload's ({@code crash-test --torn-lines}).</li>
 * </ul>
 */
public final class CrashLog {
    static final int MAGIC = 0xC0FFEE00;
    static final int RECORDS = 3;
    /** Pages a segment is preallocated to in {@code trim-*}. */
    static final int PREALLOCATED = 16;
    private static final int PAGE = 4096;

    private CrashLog() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        switch (args[1]) {
            case "header-first", "records-first" -> log(dir, args[1].equals("records-first"));
            case "grow-unsynced", "grow-fsynced" -> grow(dir, args[1].equals("grow-fsynced"));
            case "map-grown-header-first", "map-grown-records-first" ->
                    mapGrown(dir, args[1].equals("map-grown-records-first"));
            case "deleted-unsynced" -> deletedUnsynced(dir);
            case "index-first", "data-first" -> indexed(dir, args[1].equals("data-first"));
            case "valid-flag" -> flagged(dir);
            case "rename-unsynced", "rename-dirsynced", "new-segment", "link-unsynced", "link-dirsynced" ->
                    segment(dir, args[1]);
            case "written-index-first", "written-data-first" -> written(dir, args[1].equals("written-data-first"));
            case "transfer-index-first", "transfer-data-first" ->
                    transferred(dir, args[1].equals("transfer-data-first"));
            case "sync-thread-count-after", "sync-thread-count-before", "sync-thread-msync-count-after",
                 "sync-thread-msync-count-before" ->
                    syncThread(dir, args[1].endsWith("count-before"), args[1].contains("msync"));
            case "replace-unsynced", "replace-synced" -> replace(dir, args[1].equals("replace-synced"));
            case "trim-unsynced", "trim-synced" -> trim(dir, args[1].equals("trim-synced"));
            case "written-trim-manifest-fsynced", "written-trim-synced" ->
                    writtenTrim(dir, args[1].equals("written-trim-synced"));
            case "created-unsynced", "created-dirsynced" -> created(dir, args[1].equals("created-dirsynced"));
            case "cross-dir-unsynced", "cross-dir-dirsynced" ->
                    crossDirectory(dir, args[1].equals("cross-dir-dirsynced"));
            default -> throw new IllegalArgumentException(args[1]);
        }
        GuestCrash.at("end");
        System.out.println(args[1] + ": " + RECORDS + " records written");
    }

    private static void log(Path dir, boolean recordsFirst) throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("log.dat").toFile(), "rw")) {
            file.setLength((1 + RECORDS) * PAGE);
            file.getFD().sync();
            MappedByteBuffer log = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, (1 + RECORDS) * PAGE);
            for (int i = 0; i < RECORDS; i++) {
                log.putInt((1 + i) * PAGE, MAGIC + i); // site:record
                if (recordsFirst) {
                    log.force((1 + i) * PAGE, PAGE); // site:record-force
                    log.putInt(0, i + 1);
                    log.force(0, PAGE); // site:header-force-after
                    GuestCrash.point("after-commit-" + i);
                } else {
                    log.putInt(0, i + 1);
                    log.force(0, PAGE); // site:header-force-first
                    if (i == 1) {
                        GuestCrash.at("header-forced"); // record 1 stored, its count durable, the record not
                    }
                    log.force((1 + i) * PAGE, PAGE);
                }
            }
        }
    }

    private static void grow(Path dir, boolean fsynced) throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("log.dat").toFile(), "rw")) {
            file.setLength(PAGE);
            file.getFD().sync();
            MappedByteBuffer header = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            header.putInt(0, 0);
            header.force();
            file.setLength((1 + RECORDS) * PAGE); // site:grow
            if (fsynced) {
                file.getFD().sync();
            }
            MappedByteBuffer log = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, (1 + RECORDS) * PAGE);
            for (int i = 0; i < RECORDS; i++) {
                log.putInt((1 + i) * PAGE, MAGIC + i);
            }
            log.force();
            log.putInt(0, RECORDS);
            log.force(); // site:grow-header-force
        }
    }

    private static void mapGrown(Path dir, boolean recordsFirst) throws Exception {
        try (FileChannel channel = FileChannel.open(dir.resolve("log.dat"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // map() grows the empty file to four pages; nothing fsyncs it: only the forces below persist the size.
            MappedByteBuffer log = channel.map(FileChannel.MapMode.READ_WRITE, 0, (1 + RECORDS) * PAGE);
            for (int i = 0; i < RECORDS; i++) {
                log.putInt((1 + i) * PAGE, MAGIC + i); // site:grown-record
                log.putInt(0, i + 1);
                if (recordsFirst) {
                    log.force((1 + i) * PAGE, PAGE);
                    log.force(0, PAGE);
                } else {
                    log.force(0, PAGE); // site:grown-header-force-first
                    log.force((1 + i) * PAGE, PAGE);
                }
            }
        }
    }

    private static void deletedUnsynced(Path dir) throws Exception {
        Path manifest = dir.resolve("manifest.dat");
        try (FileChannel channel = FileChannel.open(manifest, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            m.putInt(0, MAGIC); // site:manifest
            Files.delete(manifest); // still mapped, its page never forced
            log(dir, true);
            m.putInt(4, 1); // the deleted file's mapping is still there to store into
        }
    }

    private static void segment(Path dir, String mode) throws Exception {
        try (RandomAccessFile manifestFile = new RandomAccessFile(dir.resolve("manifest.dat").toFile(), "rw")) {
            // "No complete segment yet", written with write(2): real data, so the manifest's block is allocated and
            // its later msync overwrites it in place (on ext4 that commits no journal transaction).
            manifestFile.writeInt(2);
            manifestFile.setLength(PAGE);
            manifestFile.getFD().sync();
            syncDirectory(dir); // the manifest's own name is durable before anything depends on it
            MappedByteBuffer manifest = manifestFile.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            boolean renamed = !mode.equals("new-segment");
            boolean linked = mode.startsWith("link-");
            Path segment = dir.resolve(renamed ? "seg.tmp" : "seg.dat");
            StandardOpenOption[] create = {StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE};
            try (FileChannel channel = FileChannel.open(segment, create)) { // site:segment-create
                MappedByteBuffer log = channel.map(FileChannel.MapMode.READ_WRITE, 0, (1 + RECORDS) * PAGE);
                for (int i = 0; i < RECORDS; i++) {
                    log.putInt((1 + i) * PAGE, MAGIC + i);
                    log.force((1 + i) * PAGE, PAGE);
                    log.putInt(0, i + 1);
                    log.force(0, PAGE);
                }
            }
            if (linked) {
                Files.createLink(dir.resolve("seg.dat"), segment); // site:segment-link
                Files.delete(segment); // site:segment-unlink
            } else if (renamed) {
                Files.move(segment, dir.resolve("seg.dat"), StandardCopyOption.ATOMIC_MOVE); // site:segment-rename
            }
            if (mode.endsWith("-dirsynced")) {
                syncDirectory(dir);
            }
            manifest.putInt(0, 1); // "seg.dat is complete"
            manifest.force(); // site:manifest-force
        }
    }

    private static void written(Path dir, boolean dataSyncedFirst) throws Exception {
        Path dataPath = dir.resolve("data.dat");
        try (FileChannel data = FileChannel.open(dataPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             RandomAccessFile dataFile = new RandomAccessFile(dataPath.toFile(), "rw");
             java.io.FileOutputStream dataStream = new java.io.FileOutputStream(dataPath.toFile(), true)) {
            appendIndexed(dir, data, dataSyncedFirst, i -> appendByWrite(i, data, dataFile, dataStream));
        }
    }

    /** Record {@code i} appended by each way the JDK writes: FileChannel, RandomAccessFile, FileOutputStream. */
    private static void appendByWrite(int i, FileChannel data, RandomAccessFile dataFile,
                                      java.io.FileOutputStream dataStream) throws IOException {
        byte[] record = new byte[PAGE];
        ByteBuffer.wrap(record).putInt(MAGIC + i);
        switch (i) {
            case 0 -> data.write(ByteBuffer.wrap(record)); // site:write-channel
            case 1 -> {
                dataFile.seek(dataFile.length());
                dataFile.write(record); // site:write-raf
            }
            default -> dataStream.write(record); // site:write-stream
        }
    }

    private static void transferred(Path dir, boolean dataSyncedFirst) throws Exception {
        try (FileChannel data = FileChannel.open(dir.resolve("data.dat"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
             FileChannel staging = FileChannel.open(dir.resolve("staging.tmp"), StandardOpenOption.CREATE_NEW,
                     StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE)) {
            appendIndexed(dir, data, dataSyncedFirst, i -> appendByTransfer(i, staging, data));
        }
    }

    /** Record {@code i} staged in a file of its own and appended by transferTo (copy_file_range or sendfile). */
    private static void appendByTransfer(int i, FileChannel staging, FileChannel data) throws IOException {
        staging.write(ByteBuffer.allocate(PAGE).putInt(0, MAGIC + i), 0);
        staging.transferTo(0, PAGE, data); // site:transfer
    }

    /** Appends one record to data.dat. */
    private interface Append {
        void record(int i) throws IOException;
    }

    /**
     * The written data file's log: each record appended, then (with {@code dataSyncedFirst}, the correct order)
     * data.dat fdatasynced, then its offset published in the mapped index.dat and forced; data.dat fdatasynced at
     * the end.
     */
    private static void appendIndexed(Path dir, FileChannel data, boolean dataSyncedFirst, Append append)
            throws Exception {
        try (RandomAccessFile indexFile = new RandomAccessFile(dir.resolve("index.dat").toFile(), "rw")) {
            indexFile.setLength(PAGE);
            indexFile.getFD().sync();
            syncDirectory(dir); // both names durable before anything depends on them
            MappedByteBuffer index = indexFile.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            for (int i = 0; i < RECORDS; i++) {
                append.record(i);
                if (dataSyncedFirst) {
                    data.force(false);
                }
                index.putLong(8 + 8 * i, (long) i * PAGE);
                index.putInt(0, i + 1);
                index.force(); // site:appended-index-force
            }
            data.force(false);
        }
    }

    private static void syncThread(Path dir, boolean countBefore, boolean msync) throws Exception {
        Path dataPath = dir.resolve("data.dat");
        try (FileChannel data = FileChannel.open(dataPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             RandomAccessFile indexFile = new RandomAccessFile(dir.resolve("index.dat").toFile(), "rw")) {
            indexFile.setLength(PAGE);
            indexFile.getFD().sync();
            syncDirectory(dir);
            MappedByteBuffer index = indexFile.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            // msync: data.dat mapped over every record it will hold (the map grows it), its pages shared with write.
            MappedByteBuffer dataMap = msync ? data.map(FileChannel.MapMode.READ_WRITE, 0, (long) RECORDS * PAGE)
                    : null;
            java.util.concurrent.atomic.AtomicInteger appended = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch syncing = new java.util.concurrent.CountDownLatch(1);
            Runnable append = () -> {
                try {
                    byte[] record = new byte[PAGE];
                    ByteBuffer.wrap(record).putInt(MAGIC + appended.get());
                    data.write(ByteBuffer.wrap(record)); // site:sync-thread-append
                    appended.incrementAndGet();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            append.run();
            // The group commit: a thread of its own fdatasyncs the data and publishes the count in the index.
            Thread syncer = new Thread(() -> {
                try {
                    int count = appended.get();
                    syncing.countDown();
                    if (msync) {
                        dataMap.force(); // site:sync-thread-msync
                    } else {
                        data.force(false); // site:sync-thread-fdatasync
                    }
                    if (!countBefore) {
                        count = appended.get(); // the bug: counts a record appended while the fdatasync ran
                    }
                    for (int i = 0; i < count; i++) {
                        index.putLong(8 + 8 * i, (long) i * PAGE);
                    }
                    index.putInt(0, count);
                    index.force(); // site:sync-thread-index-force
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "group-commit");
            syncer.start();
            syncing.await();
            Thread.sleep(200); // inside the fdatasync where it is slow (tests hold it open a second), else after it
            append.run();
            syncer.join();
            data.force(false);
            for (int i = 0; i < RECORDS - 2; i++) {
                append.run();
            }
            data.force(false);
        }
    }

    private static void replace(Path dir, boolean synced) throws Exception {
        Path current = dir.resolve("CURRENT");
        // Generation 0 is installed the same way, fsynced: a CURRENT created in place is empty in the states where
        // its creation persisted and its write did not, which no recovery can read.
        for (int generation = 0; generation <= RECORDS; generation++) {
            Path next = dir.resolve("CURRENT.tmp");
            try (java.io.FileOutputStream out = new java.io.FileOutputStream(next.toFile())) {
                out.write(current(generation)); // site:replace-write
                if (synced || generation == 0) {
                    out.getFD().sync();
                }
            }
            Files.move(next, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        }
    }

    private static void trim(Path dir, boolean synced) throws Exception {
        try (RandomAccessFile manifestFile = new RandomAccessFile(dir.resolve("manifest.dat").toFile(), "rw");
             RandomAccessFile segFile = new RandomAccessFile(dir.resolve("seg.dat").toFile(), "rw")) {
            manifestFile.writeInt(2); // "no sealed segment yet", on an allocated block (see segment())
            manifestFile.setLength(PAGE);
            manifestFile.getFD().sync();
            segFile.setLength(PREALLOCATED * PAGE); // appends never grow it
            segFile.getFD().sync();
            syncDirectory(dir);
            MappedByteBuffer manifest = manifestFile.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            MappedByteBuffer log = segFile.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PREALLOCATED * PAGE);
            for (int i = 0; i < RECORDS; i++) {
                log.putInt((1 + i) * PAGE, MAGIC + i);
                log.force((1 + i) * PAGE, PAGE);
                log.putInt(0, i + 1);
                log.force(0, PAGE);
            }
            segFile.getChannel().truncate((1 + RECORDS) * PAGE); // site:trim
            if (synced) {
                segFile.getChannel().force(false);
            }
            manifest.putInt(0, 1); // "seg.dat is sealed"
            manifest.force(); // site:trim-manifest-force
        }
    }

    private static void writtenTrim(Path dir, boolean trimSynced) throws Exception {
        try (RandomAccessFile manifestFile = new RandomAccessFile(dir.resolve("manifest.dat").toFile(), "rw");
             RandomAccessFile segFile = new RandomAccessFile(dir.resolve("seg.dat").toFile(), "rw")) {
            manifestFile.writeInt(2); // "no sealed segment yet"
            manifestFile.setLength(PAGE);
            manifestFile.getFD().sync();
            segFile.setLength(PREALLOCATED * PAGE);
            segFile.getFD().sync();
            syncDirectory(dir);
            FileChannel seg = segFile.getChannel();
            for (int i = 0; i < RECORDS; i++) {
                seg.write(ByteBuffer.allocate(4).putInt(0, MAGIC + i), (1 + i) * PAGE);
                seg.force(false);
                seg.write(ByteBuffer.allocate(4).putInt(0, i + 1), 0);
                seg.force(false);
            }
            seg.truncate((1 + RECORDS) * PAGE); // site:written-trim
            if (trimSynced) {
                seg.force(false); // the size is metadata fdatasync persists (i_disksize changed): durable on any fs
            }
            manifestFile.getChannel().write(ByteBuffer.allocate(4).putInt(0, 1), 0); // "seg.dat is sealed"
            manifestFile.getChannel().force(true); // site:written-trim-manifest-fsync
        }
    }

    private static void created(Path dir, boolean dirSynced) throws Exception {
        try (RandomAccessFile metaFile = new RandomAccessFile(dir.resolve("meta.dat").toFile(), "rw")) {
            metaFile.writeInt(2); // "no wal.dat yet", on an allocated block (see segment())
            metaFile.setLength(PAGE);
            metaFile.getFD().sync();
            syncDirectory(dir);
            try (RandomAccessFile wal = new RandomAccessFile(dir.resolve("wal.dat").toFile(), "rw")) { // site:wal-create
                wal.setLength(PREALLOCATED * PAGE);
                wal.getFD().sync();
            }
            if (dirSynced) {
                syncDirectory(dir);
            }
            MappedByteBuffer meta = metaFile.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            meta.putInt(0, 1); // "wal.dat is ready"
            meta.force(); // site:meta-force
        }
    }

    /**
     * A segment written in segments/ and a manifest naming it written after it in meta/, each file fsynced, as stores
     * that keep data and metadata in directories of their own do; {@code dirSynced}: segments/ fsynced before the
     * manifest is created. meta/ is never fsynced: a crash may lose the manifest, and recovery then starts empty.
     */
    private static void crossDirectory(Path dir, boolean dirSynced) throws Exception {
        Path segments = Files.createDirectories(dir.resolve("segments"));
        Path meta = Files.createDirectories(dir.resolve("meta"));
        syncDirectory(dir); // the two directories themselves are durable
        try (java.io.FileOutputStream seg = new java.io.FileOutputStream(segments.resolve("seg.dat").toFile())) { // site:cross-segment-create
            seg.write(ByteBuffer.allocate(PAGE).putInt(0, MAGIC).array());
            seg.getFD().sync();
        }
        if (dirSynced) {
            syncDirectory(segments);
        }
        try (java.io.FileOutputStream manifest = new java.io.FileOutputStream(meta.resolve("MANIFEST").toFile())) { // site:cross-manifest-create
            manifest.write("segments/seg.dat\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            manifest.getFD().sync();
        }
    }

    /** CURRENT's content: the magic, then the generation. */
    private static byte[] current(int generation) {
        return ByteBuffer.allocate(8).putInt(MAGIC).putInt(generation).array();
    }

    /** fsync of a directory: what persists the names created, renamed and removed in it. */
    private static void syncDirectory(Path dir) throws Exception {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static void flagged(Path dir) throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("flagged.dat").toFile(), "rw")) {
            file.setLength(PAGE);
            file.getFD().sync();
            MappedByteBuffer page = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            page.putInt(64, MAGIC); // site:payload
            page.putInt(0, 1); // the valid flag, in the cache line before the payload's
            page.force(); // site:flag-force
        }
    }

    private static void indexed(Path dir, boolean dataFirst) throws Exception {
        try (RandomAccessFile data = new RandomAccessFile(dir.resolve("data.dat").toFile(), "rw");
             RandomAccessFile index = new RandomAccessFile(dir.resolve("index.dat").toFile(), "rw")) {
            data.setLength(RECORDS * PAGE);
            index.setLength(PAGE);
            data.getFD().sync();
            index.getFD().sync();
            MappedByteBuffer records = data.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, RECORDS * PAGE);
            MappedByteBuffer offsets = index.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            for (int i = 0; i < RECORDS; i++) {
                records.putInt(i * PAGE, MAGIC + i); // site:data
                offsets.putLong(8 + 8 * i, (long) i * PAGE);
                offsets.putInt(0, i + 1);
                if (dataFirst) {
                    records.force(i * PAGE, PAGE);
                    offsets.force();
                } else {
                    offsets.force(); // site:index-force-first
                    records.force(i * PAGE, PAGE);
                }
            }
        }
    }
}
