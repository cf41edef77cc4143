package dev.daxaudit.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The files the engine has seen mapped, one {@link AddressSpace} each by {@link FileId} (the inode, as the kernel's
 * inode cache finds it whatever name was used), each created with the {@link Storage} it lives on; and the paths
 * the include/exclude globs kept out, so the summary can say when a filter matched nothing. With the kernel tracker
 * ({@code tracking=kernel}) it also brings a file's data truth up to date, by collecting the pages written through
 * its mappings, before an event reads that truth.
 */
final class FileTable {
    private final AgentOptions options;
    private final Storage.Probe storage;
    private final LongSupplier clock;
    private final Map<FileId, AddressSpace> files = new HashMap<>();
    /** Set at the first file mapped: until then a write(2) has nothing to feed (see {@link #any}). */
    private volatile boolean any;
    private final Set<String> excluded = new TreeSet<>();
    private final FaultFailpoint failpoint = FaultFailpoint.ofSystemProperty();
    private final DetailBudget budget;
    /** The kernel tracker's stores ({@code tracking=kernel}), or null when the store hooks report them. */
    private volatile KernelWrites kernelWrites;

    FileTable(AgentOptions options, Storage.Probe storage, LongSupplier clock) {
        this.options = options;
        this.storage = storage;
        this.clock = clock;
        this.budget = DetailBudget.of(options);
    }

    /** Whether the options audit {@code path}; one that they exclude is remembered for the report. */
    boolean audits(String path) {
        if (options.audits(path)) {
            return true;
        }
        synchronized (excluded) {
            excluded.add(String.valueOf(path));
        }
        return false;
    }

    /** The file's address space, made on first sight, when the storage it lives on is looked up. */
    AddressSpace addressSpace(FileId id, String path) {
        AddressSpace space = existing(id);
        if (space != null) {
            space.seenAs(path);
            return space;
        }
        Storage where = storageOf(id, path); // outside the lock: it may read /proc/self/mountinfo
        synchronized (files) {
            space = files.get(id);
            if (space == null) {
                boolean dax = where.model() == Storage.Model.DAX;
                files.put(id, space = new AddressSpace(id, path, where, dax && options.pmdEntries(),
                        options.zeroingInFs(), failpoint, clock, budget));
                any = true;
            }
            return space;
        }
    }

    /** Whether any file was mapped yet: one volatile read, so that every write(2) before that costs nothing more. */
    boolean any() {
        return any;
    }

    /** The file's address space, or null for a file never mapped. */
    AddressSpace existing(FileId id) {
        synchronized (files) {
            return files.get(id);
        }
    }

    /** Every file seen, as of now. */
    List<AddressSpace> all() {
        synchronized (files) {
            return new ArrayList<>(files.values());
        }
    }

    /** From now on the kernel tracker's stores are collected into the files before each event that reads them. */
    void trackWritesInKernel(KernelWrites kernel) {
        kernelWrites = kernel;
    }

    /** The kernel tracker's stores, or null when the store hooks report them. */
    KernelWrites kernelWrites() {
        return kernelWrites;
    }

    /** With the kernel tracker, records the pages written through the file's mappings so far. */
    void collect(AddressSpace space) {
        KernelWrites kernel = kernelWrites;
        if (kernel != null && space != null) {
            kernel.collect(space.liveVmas());
        }
    }

    /** With the kernel tracker, records the pages written through every file's mappings so far. */
    void collectAll() {
        if (kernelWrites != null) {
            for (AddressSpace space : all()) {
                collect(space);
            }
        }
    }

    /** What the files' detail may take, and how many were summarised past it. */
    DetailBudget budget() {
        return budget;
    }

    /** The paths the globs kept out, sorted. */
    List<String> excluded() {
        synchronized (excluded) {
            return new ArrayList<>(excluded);
        }
    }

    private Storage storageOf(FileId id, String path) {
        Storage found = storage.of(id.device(), path);
        Storage.Model chosen = options.model();
        return chosen == null || chosen == found.model() ? found : found.overriddenBy(chosen);
    }
}
