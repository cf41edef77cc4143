package dev.daxaudit.core;

import java.util.List;

/**
 * One file's state frozen for a report, taken under its address space's monitor and sharing nothing with live
 * engine state: the report and {@code dump} read only this.
 */
final class FileSnapshot {
    /** An unsynced page and its context, as of the snapshot. */
    static final class UnsyncedPage {
        final long pgoff;
        final Event first;
        /** The unmap after which no live mapping covered it, or null while one still does. */
        final Event unmappedBy;
        final Event closedWhileUnsynced;
        final Event racedForce;
        final Event racingStore;
        final boolean allocationNotDurable;
        final boolean allocatedAtSyncFault;

        UnsyncedPage(StoredPage p, boolean mapped, BlockMap blocks) {
            pgoff = p.pgoff;
            first = p.first;
            unmappedBy = mapped ? null : p.unmappedBy;
            closedWhileUnsynced = p.closedWhileUnsynced;
            racedForce = p.racedForce;
            racingStore = p.racingStore;
            allocationNotDurable = blocks.allocationNotDurable(p.pgoff);
            allocatedAtSyncFault = blocks.allocatedAtSyncFault(p.pgoff);
        }
    }

    final FileId id;
    final String path;
    final Storage storage;
    final boolean pmdEntries;
    final boolean zeroingInFs;
    final long isize;
    final List<UnsyncedPage> unsynced;
    final List<MappingHistory.Record> mappings;
    final FileLedger ledger;
    final List<HazardLog.Entry> hazards;
    final long bytesStored;

    /** This snapshot with only the unsynced pages first stored at or after {@code nanos}. */
    FileSnapshot storedSince(long nanos) {
        List<UnsyncedPage> since = new java.util.ArrayList<>();
        for (UnsyncedPage p : unsynced) {
            if (p.first.nanos >= nanos) {
                since.add(p);
            }
        }
        return new FileSnapshot(id, path, storage, pmdEntries, zeroingInFs, isize, since, mappings, ledger, hazards,
                bytesStored);
    }

    FileSnapshot(FileId id, String path, Storage storage, boolean pmdEntries, boolean zeroingInFs, long isize,
                 List<UnsyncedPage> unsynced, List<MappingHistory.Record> mappings, FileLedger ledger,
                 List<HazardLog.Entry> hazards, long bytesStored) {
        this.id = id;
        this.path = path;
        this.storage = storage;
        this.pmdEntries = pmdEntries;
        this.zeroingInFs = zeroingInFs;
        this.isize = isize;
        this.unsynced = unsynced;
        this.mappings = mappings;
        this.ledger = ledger;
        this.hazards = hazards;
        this.bytesStored = bytesStored;
    }
}
