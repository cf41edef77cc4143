package dev.daxaudit.core;

import dev.daxaudit.core.jfr.MapEvent;
import dev.daxaudit.core.report.AuditReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The DAX engine: the address spaces of mapped files and the mappings over them. The agent's hooks call it
 * with raw facts (a file was mapped at an address, bytes were stored at an address, a range is being forced);
 * it keeps the kernel's model of what is dirty and what is durable, and builds the report from it.
 * The engine knows nothing of instrumentation: unit tests drive it with made-up addresses.
 */
public final class DaxEngine {
    private final AgentOptions options;
    private final LongSupplier clock;
    private final VmaTable vmaTable = new VmaTable();
    private final FileTable files;
    /** Read-only and private mappings: not in the store path, kept so their unmap is recognised. */
    private final Map<Long, Vma> unsharedVmas = new HashMap<>();
    private final InternalErrors errors = new InternalErrors();
    /** Where crash states are recorded ({@code crash=}). */
    private final CrashRecorder crash;
    /** Where files live: the filesystem of a file the program writes, for crash-test's persistence model. */
    private final Storage.Probe storage;
    private final List<String> hookedTypes = new ArrayList<>();
    /**
     * Set once a truncate leaves a mapping reaching beyond its file's end; from then on the hooks check stores
     * before they run. Plain field: a store racing the truncate itself is caught by the fault path instead.
     */
    private boolean beyondEofMappings;
    private volatile Runnable onBeyondEofMappings;
    private volatile boolean ffm;
    /** The kernel tracker's stores ({@code tracking=kernel}), or null when the store hooks report them. */
    private volatile KernelWrites kernelWrites;
    /** Mappings made before a late attach (count, bytes), or null when the agent ran from the start. */
    private volatile long[] preexisting;

    /** The engine's clock, in nanoseconds: the time findings are scoped by (see {@link #findingsSince}). */
    public long now() {
        return clock.getAsLong();
    }

    public DaxEngine(AgentOptions options, LongSupplier nanoClock) {
        this(options, nanoClock, MountTable.ofThisProcess());
    }

    /** An engine that asks {@code storage} where each mapped file lives (tests pass a fixed answer). */
    public DaxEngine(AgentOptions options, LongSupplier nanoClock, Storage.Probe storage) {
        this.options = options;
        this.clock = nanoClock;
        this.files = new FileTable(options, storage, nanoClock);
        this.storage = storage;
        this.crash = new CrashRecorder(errors, nanoClock);
    }

    public AgentOptions options() {
        return options;
    }

    public InternalErrors errors() {
        return errors;
    }

    /** The agent instrumented this JDK type; listed in the report so a reader sees what was watched. */
    public void hooked(String typeName) {
        synchronized (hookedTypes) {
            if (!hookedTypes.contains(typeName)) {
                hookedTypes.add(typeName);
            }
        }
    }

    /**
     * The agent attached to a running JVM, in which {@code count} mappings of {@code bytes} bytes already existed.
     * Their addresses are not known, so stores into them are not audited; the report says so.
     */
    public void attachedLate(long count, long bytes) {
        preexisting = new long[] {count, bytes};
    }

    /** Whether memory-segment mappings (JDK 22+) are audited on this JDK. */
    public void ffm(boolean audited) {
        ffm = audited;
    }

    /**
     * From now on the kernel tracks written pages ({@code tracking=kernel}): the agent installs no store hook, and
     * the engine collects written pages from {@code tracker} before each event that reads the data truth.
     */
    public void trackWritesInKernel(PageWriteTracker tracker) {
        kernelWrites = new KernelWrites(tracker, errors, clock);
    }

    /** From now on, what a crash would leave is recorded in {@code journal} ({@code crash=}, for crash-test). */
    public void recordCrashStates(CrashJournal journal) {
        crash.start(journal);
    }

    /** A crash point the application marked ({@code DaxAudit.crashPoint(label)}). */
    public void crashPoint(String label) {
        crashPoint("marker", label);
    }

    /**
     * Records a crash point of {@code kind} here, if crash states are recorded. A crash state covers every file, so
     * with the kernel tracker every file's written pages are collected first.
     */
    private void crashPoint(String kind, String label) {
        if (crash.recording()) {
            if (kernelWrites != null) {
                for (AddressSpace space : allFiles()) {
                    collect(space);
                }
            }
            crash.point(kind, label);
        }
    }

    private List<AddressSpace> allFiles() {
        return files.all();
    }

    /** Which tracker reports stores: {@code kernel} or {@code bytecode}. */
    public String tracker() {
        return kernelWrites != null ? "kernel" : "bytecode";
    }

    /** With the kernel tracker, records the pages written through the file's mappings so far. */
    private void collect(AddressSpace space) {
        KernelWrites kernel = kernelWrites;
        if (kernel != null && space != null) {
            kernel.collect(space.liveVmas());
        }
    }

    /** The store fast path; see {@link VmaTable#store}. */
    public VmaTable vmaTable() {
        return vmaTable;
    }

    /**
     * A file was mapped. {@code address} is where byte {@code fileOffset} of the file landed, {@code length} the
     * number of bytes mapped from there; the file's size was {@code sizeBefore} before the map and is
     * {@code sizeAfter} after it (map grows a file it maps beyond its end). Stores into the mapping are audited when
     * it is shared and writable and the file lives where data can be made durable. Returns null when the file is
     * excluded by the options or nothing was mapped.
     */
    public Vma map(FileId id, String path, MappingMode mode, long address, long length, long fileOffset,
                   long sizeBefore, long sizeAfter) {
        if (length <= 0) {
            return null;
        }
        if (!files.audits(path)) {
            return null;
        }
        long pageOffset = fileOffset & (Pages.PAGE_SIZE - 1);
        long start = address - pageOffset;
        long size = Pages.pagesFor(length + pageOffset) << Pages.PAGE_SHIFT;
        AddressSpace space = files.addressSpace(id, path);
        Vma vma = new Vma(space, mode, start, size, Pages.pageOf(fileOffset), Event.here("map", clock.getAsLong()));
        space.addVma(vma, sizeBefore, sizeAfter);
        if (mode.isSharedWritable() && space.storage.audited()) {
            crash.mapped(space, sizeBefore);
            if (sizeAfter > sizeBefore) {
                crash.resized(space, sizeAfter); // map() grew the file with ftruncate
            }
        }
        MapEvent event = new MapEvent();
        if (event.isEnabled()) {
            event.file = path;
            event.mode = mode.name();
            event.offset = fileOffset;
            event.length = length;
            event.tracker = tracker();
            event.commit();
        }
        if (mode.isSharedWritable() && space.storage.audited()) {
            KernelWrites kernel = kernelWrites;
            if (kernel != null) {
                kernel.track(vma);
            }
            vmaTable.insert(vma);
        } else {
            synchronized (unsharedVmas) {
                unsharedVmas.put(start, vma);
            }
        }
        return vma;
    }

    /** Records a store of {@code length > 0} bytes at {@code address}, after it landed. */
    public void store(long address, long length) {
        vmaTable.store(address, length, options.countStoredBytes());
    }

    /**
     * A force of {@code length} bytes at {@code address} through a mapping is starting: msync of the pages, or on a
     * MAP_SYNC mapping ({@code cacheFlush}) a writeback of the cache lines. Returns null when the address is not an
     * audited mapping.
     */
    public Writeback startForce(long address, long length, boolean cacheFlush) {
        Vma vma = vmaTable.find(address);
        if (vma == null || !vma.live) {
            return null;
        }
        collect(vma.mapping);
        long from = address - vma.start;
        long to = Math.min(vma.size, from + Math.max(length, 0));
        if (!cacheFlush) {
            crashPoint("before-force", ""); // a crash while the msync runs: any of the pending pages may be written
        }
        if (cacheFlush) {
            long fileStart = vma.pgoff << Pages.PAGE_SHIFT;
            return vma.mapping.startCacheFlush(fileStart + from, fileStart + to);
        }
        return vma.mapping.startWriteback(vma.pgoff + Pages.pageOf(from), vma.pgoff + Pages.pagesFor(to),
                Writeback.Kind.MSYNC);
    }

    /** An fsync of the whole file through any descriptor is starting. Returns null for files never mapped. */
    public Writeback startFsync(FileId id) {
        return startFsync(id, false);
    }

    /** An fsync, or with {@code datasync} an fdatasync, of the whole file is starting; null for files never mapped. */
    public Writeback startFsync(FileId id, boolean datasync) {
        AddressSpace space = files.existing(id);
        if (space == null) {
            return null;
        }
        collect(space);
        crashPoint("before-fsync", "");
        Writeback w = space.startWriteback(0, Long.MAX_VALUE, Writeback.Kind.FSYNC);
        w.datasync = datasync;
        return w;
    }

    /**
     * An fsync or fdatasync of a file never mapped, or of a directory ({@code path}), is starting: only crash states
     * need it (a directory's fsync persists its entries; on ext4 any fsync may commit earlier namespace operations).
     * Returns null when crash states are not recorded.
     */
    public PathSync startPathSync(String path, boolean datasync) {
        return startPathSync(null, path, datasync);
    }

    /** As {@link #startPathSync(String, boolean)}, of the file {@code id} where its descriptor is known. */
    public PathSync startPathSync(FileId id, String path, boolean datasync) {
        if ((path == null && id == null) || !crash.recording()) {
            return null;
        }
        // A crash while the sync runs: any pending page may already be on disk, though what the sync commits is not
        // (ext4 data=ordered writes a file's data before the journal commit that carries earlier metadata; the
        // dm-log-writes replay in the guest left a manifest's new page on disk with a truncate it relied on unmade).
        crashPoint("before-fsync", "");
        PathSync sync = new PathSync(id, path, datasync);
        crash.syncStarting(sync);
        return sync;
    }

    /**
     * The program is about to write {@code length} bytes into file {@code id} ({@code path}, absolute) through the
     * write family ({@code FileChannel.write}, {@code RandomAccessFile.write}, {@code FileOutputStream.write}): only
     * crash states need it, and the file's content before its first write is their durable start.
     */
    public void writing(FileId id, String path) {
        if (crash.recording()) {
            crash.writing(id, path, storage);
        }
    }

    /**
     * {@code length} bytes were written at {@code position} of file {@code id}: pending until a sync covers them, in
     * crash states and, for a file the program maps, in its data truth (one page cache: the same unsynced findings
     * and the same syncs as its stores).
     */
    public void written(FileId id, long position, long length) {
        if (crash.recording()) {
            crash.written(id, position, length);
        }
        AddressSpace space = files.existing(id);
        if (space != null) {
            space.written(position, length);
        }
    }

    /** Whether a write(2) into file {@code id} is of interest: crash states are recorded, or the file is mapped. */
    public boolean wantsWrites(FileId id) {
        return crash.recording() || files.existing(id) != null;
    }

    /** Whether any write(2) can be of interest: crash states are recorded, or some file was mapped. */
    public boolean wantsWrites() {
        return crash.recording() || files.any();
    }

    /** The sync {@link #startPathSync} started returned ({@code completed}) or threw. */
    public void finishPathSync(PathSync sync, boolean completed) {
        if (!completed) {
            crash.syncFailed(sync);
        } else if (crash.synced(sync)) {
            crashPoint("fsync", "");
        }
    }

    /**
     * The agent's own file I/O on this thread starts ({@code true}) or ends ({@code false}): crash states record
     * none of its creates, renames, writes and syncs.
     */
    public void agentIo(boolean on) {
        crash.agentIo(on);
    }

    /** Whether crash states are recorded: only then do namespace operations reach the engine. */
    public boolean recordsCrashStates() {
        return crash.recording();
    }

    /**
     * A namespace operation completed: {@code op} C (created {@code path}), R (renamed {@code path} to {@code to}),
     * O (renamed over a file that had the name), L (linked {@code path}'s file as {@code to} too) or U (unlinked
     * {@code path}); absolute paths. A crash point follows it.
     */
    public void namespace(char op, String path, String to) {
        if (crash.namespace(op, path, to)) {
            if (op == 'C') {
                // A created file is in crash states from its creation, empty, not only from its first map or write:
                // its size changes and syncs before those (setLength, an fsync, its directory's fsync) count too.
                FileId id = FileId.of(path);
                if (id != null) {
                    crash.writing(id, path, storage);
                }
            }
            crashPoint(op == 'C' ? "create" : op == 'U' ? "unlink" : op == 'L' ? "link" : "rename", "");
        }
    }

    /** The real flush returned ({@code completed}) or threw. Accepts null from a start that tracked nothing. */
    public void finishWriteback(Writeback w, boolean completed) {
        if (w != null) {
            List<Long> durable = w.mapping.finishWriteback(w, completed);
            if (completed && w.kind != Writeback.Kind.CACHE_FLUSH && crash.recording()) {
                crash.written(w, durable);
                crashPoint(w.kind == Writeback.Kind.FSYNC ? "fsync" : "force", "");
            }
        }
    }

    /** The mapping starting at page-aligned {@code start} is about to be unmapped. */
    public void unmap(long start) {
        Vma vma = vmaTable.startingAt(start);
        if (vma != null) {
            KernelWrites kernel = kernelWrites;
            if (kernel != null) {
                synchronized (kernel) { // no collect between this one and the unmap (see KernelWrites)
                    kernel.collect(List.of(vma));
                    crashPoint("unmap", "");
                    vmaTable.remove(vma);
                    vma.mapping.removeVma(vma, true);
                }
                return;
            }
            crashPoint("unmap", "");
            vmaTable.remove(vma);
            vma.mapping.removeVma(vma, true);
            return;
        }
        synchronized (unsharedVmas) {
            vma = unsharedVmas.remove(start);
        }
        if (vma != null) {
            vma.mapping.removeVma(vma, false);
        }
    }

    /** The file's size changed (truncate, setLength, growth by map); ignored for files never mapped. */
    public void resize(FileId id, long newSize) {
        AddressSpace space = files.existing(id);
        if (space != null) {
            collect(space);
            crashPoint("resize", "");
            space.resize(newSize);
            crash.resized(space, newSize);
            if (!beyondEofMappings && space.hasBeyondEofMappings()) {
                beyondEofMappings = true;
                Runnable arm = onBeyondEofMappings;
                if (arm != null) {
                    arm.run();
                }
            }
        }
    }

    /**
     * The size of file {@code id}, which the engine does not map, was set by ftruncate ({@code truncate},
     * {@code setLength}): for crash states, a size change of a file written through the write family, like a mapped
     * file's (pending until its sync, or on ext4 the next commit). A crash point follows it.
     */
    public void resizeWritten(FileId id, long newSize) {
        if (crash.resizedWritten(id, newSize)) {
            crashPoint("resize", "");
        }
    }

    /**
     * Runs once, the first time a truncate leaves a mapping reaching beyond its file's end: the agent arms its
     * before-store check then, so stores pay for that check only in programs that truncate under a mapping.
     */
    public void onBeyondEofMappings(Runnable arm) {
        onBeyondEofMappings = arm;
    }

    /** Whether stores must be checked before they run: some mapping reaches beyond its file's end. */
    public boolean checksStoresBeyondEof() {
        return beyondEofMappings;
    }

    /**
     * A store of {@code length} bytes is about to go to {@code address}; called only while
     * {@link #checksStoresBeyondEof()}. Records a store beyond end of file before it faults.
     */
    public void beforeStore(long address, long length) {
        Vma vma = vmaTable.find(address);
        if (vma != null) {
            long last = Math.min(address + Math.max(length, 1) - 1, vma.end() - 1);
            for (long page = Pages.pageOf(address - vma.start); page <= Pages.pageOf(last - vma.start); page++) {
                if (vma.mapping.beyondEof(vma.pgoff + page)) {
                    vma.mapping.beforeStoreBeyondEof(vma.pgoff + page);
                    return;
                }
            }
        }
    }

    /** A channel of the file was closed; ignored for files never mapped. */
    public void channelClosed(FileId id) {
        AddressSpace space = files.existing(id);
        if (space != null) {
            collect(space);
            crashPoint("close", "");
            space.channelClosed();
        }
    }

    /** Whether any mapping of this file was ever seen: callers skip work for unmapped files. */
    public boolean knows(FileId id) {
        return files.existing(id) != null;
    }

    /**
     * The findings as of now over stores made since {@code startNanos} (from {@link #now()}): the pages first stored
     * at or after it that are still unsynced. A test scopes its findings so.
     */
    public List<dev.daxaudit.core.report.Finding> findingsSince(long startNanos) {
        List<AddressSpace> spaces = ReportBuilder.inReportOrder(allFiles());
        List<FileSnapshot> snapshots = new ArrayList<>(spaces.size());
        for (AddressSpace space : spaces) {
            collect(space);
            snapshots.add(space.snapshot().storedSince(startNanos));
        }
        return new ReportBuilder(options, errors, clock.getAsLong()).findings(snapshots);
    }

    /**
     * The report as of now, from a snapshot of each file taken under that file's lock: its findings when the report
     * is built, its summary again when the report is written (a file still used between the two can differ there).
     */
    public AuditReport report(String reason) {
        List<AddressSpace> spaces = allFiles();
        if (reason.equals("exit")) {
            crashPoint("exit", ""); // collects every file's written pages itself when it records anything
            crash.close();
        }
        for (AddressSpace space : spaces) {
            collect(space);
        }
        List<String> hooks;
        synchronized (hookedTypes) {
            hooks = new ArrayList<>(hookedTypes);
        }
        List<String> excludedFiles = files.excluded();
        return new ReportBuilder(options, errors, clock.getAsLong()).build(reason,
                ReportBuilder.inReportOrder(spaces), hooks, ffm,
                preexisting, excludedFiles, tracker());
    }
}
