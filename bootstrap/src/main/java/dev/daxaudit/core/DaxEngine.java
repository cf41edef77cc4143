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
    /** The program's file calls through no mapping: the write family, path syncs, the namespace. */
    private final Vfs vfs;
    private final List<String> hookedTypes = new ArrayList<>();
    /**
     * Set once a truncate leaves a mapping reaching beyond its file's end; from then on the hooks check stores
     * before they run. Plain field: a store racing the truncate itself is caught by the fault path instead.
     */
    private boolean beyondEofMappings;
    private volatile Runnable onBeyondEofMappings;
    private volatile boolean ffm;
    /** Mappings made before a late attach (count, bytes), or null when the agent ran from the start. */
    private volatile long[] preexisting;
    /** Why {@code tracking=auto} chose the tracker that runs; null when the options named one. */
    private volatile String trackerChoice;

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
        this.crash = new CrashRecorder(errors, nanoClock, files);
        this.vfs = new Vfs(crash, files, storage);
    }

    public AgentOptions options() {
        return options;
    }

    public InternalErrors errors() {
        return errors;
    }

    /** The program's file calls through no mapping (write, path syncs, the namespace). */
    public Vfs vfs() {
        return vfs;
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

    /** {@code tracking=auto} chose the tracker that runs, for {@code why}; the report and the summary say so. */
    public void trackerChosen(String why) {
        trackerChoice = why;
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
        files.trackWritesInKernel(new KernelWrites(tracker, errors, clock));
    }

    /**
     * Names the kernel tracker's stores from their sampled write faults, for the calling thread and the threads it
     * creates from now on; null when that runs, else why findings keep the mapping's site (also when no kernel
     * tracker runs).
     */
    public String sampleStoreFaults(FaultSymbols symbols) {
        KernelWrites kernel = files.kernelWrites();
        return kernel == null ? "the store hooks name sites" : kernel.sampleFaults(symbols);
    }

    /** From now on, what a crash would leave is recorded in {@code journal} ({@code crash=}, for crash-test). */
    public void recordCrashStates(CrashJournal journal) {
        crash.start(journal);
    }

    /** A crash point the application marked ({@code DaxAudit.crashPoint(label)}). */
    public void crashPoint(String label) {
        crash.point("marker", label);
    }

    /** Which tracker reports stores: {@code kernel} or {@code bytecode}. */
    public String tracker() {
        return files.kernelWrites() != null ? "kernel" : "bytecode";
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
            KernelWrites kernel = files.kernelWrites();
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
        files.collect(vma.mapping);
        long from = address - vma.start;
        long to = Math.min(vma.size, from + Math.max(length, 0));
        if (!cacheFlush) {
            crash.point("before-force", ""); // a crash while the msync runs: any of the pending pages may be written
        }
        if (cacheFlush) {
            long fileStart = vma.pgoff << Pages.PAGE_SHIFT;
            return vma.mapping.startCacheFlush(fileStart + from, fileStart + to);
        }
        Writeback w = vma.mapping.startWriteback(vma.pgoff + Pages.pageOf(from), vma.pgoff + Pages.pagesFor(to),
                Writeback.Kind.MSYNC);
        crash.writebackStarting(w);
        return w;
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
        files.collect(space);
        crash.point("before-fsync", "");
        Writeback w = space.startWriteback(0, Long.MAX_VALUE, Writeback.Kind.FSYNC);
        w.datasync = datasync;
        crash.writebackStarting(w);
        return w;
    }

    /** The real flush returned ({@code completed}) or threw. Accepts null from a start that tracked nothing. */
    public void finishWriteback(Writeback w, boolean completed) {
        if (w != null) {
            List<Long> durable = w.mapping.finishWriteback(w, completed);
            if (w.kind != Writeback.Kind.CACHE_FLUSH && crash.recording()) {
                crash.writebackEnded(w, completed ? durable : null);
                if (completed) {
                    crash.point(w.kind == Writeback.Kind.FSYNC ? "fsync" : "force", "");
                }
            }
        }
    }

    /** The mapping starting at page-aligned {@code start} is about to be unmapped. */
    public void unmap(long start) {
        Vma vma = vmaTable.startingAt(start);
        if (vma != null) {
            KernelWrites kernel = files.kernelWrites();
            if (kernel != null) {
                synchronized (kernel) { // no collect between this one and the unmap (see KernelWrites)
                    kernel.collect(List.of(vma));
                    crash.point("unmap", "");
                    vmaTable.remove(vma);
                    vma.mapping.removeVma(vma, true);
                }
                return;
            }
            crash.point("unmap", "");
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
            files.collect(space);
            crash.point("resize", "");
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
            files.collect(space);
            crash.point("close", "");
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
        List<AddressSpace> spaces = ReportBuilder.inReportOrder(files.all());
        List<FileSnapshot> snapshots = new ArrayList<>(spaces.size());
        for (AddressSpace space : spaces) {
            files.collect(space);
            snapshots.add(space.snapshot().storedSince(startNanos));
        }
        return new ReportBuilder(options, errors, clock.getAsLong()).findings(snapshots);
    }

    /**
     * The report as of now, from a snapshot of each file taken under that file's lock: its findings when the report
     * is built, its summary again when the report is written (a file still used between the two can differ there).
     */
    public AuditReport report(String reason) {
        List<AddressSpace> spaces = files.all();
        if (reason.equals("exit")) {
            crash.point("exit", ""); // collects every file's written pages itself when it records anything
            crash.close();
        }
        for (AddressSpace space : spaces) {
            files.collect(space);
        }
        List<String> hooks;
        synchronized (hookedTypes) {
            hooks = new ArrayList<>(hookedTypes);
        }
        List<String> excludedFiles = files.excluded();
        return new ReportBuilder(options, errors, clock.getAsLong()).build(reason,
                ReportBuilder.inReportOrder(spaces), hooks, ffm,
                preexisting, excludedFiles, tracker(), trackerChoice,
                files.kernelWrites() != null && files.kernelWrites().sampling(), files.budget());
    }
}
