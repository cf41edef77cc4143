package dev.daxaudit.core.report;

/**
 * Race hazards on mapped files: what can go wrong on a real system that is not already a finding, in plain words.
 * The codes are those of the documentation; H3, H5 and H6 of schema version 1 are now context of a finding.
 */
public enum HazardKind {
    TRUNCATE_UNDER_MAPPING("H1", "The file was shrunk while a mapping still covered pages beyond the new end. Any "
            + "later access to those pages through that mapping faults (SIGBUS on Linux, InternalError in the JVM), "
            + "and whatever was stored there is discarded by the truncate. Unmap (or stop using) the mapping first, "
            + "or remap after the truncate."),
    STORE_BEYOND_EOF("H2", "A store went to a mapped page beyond the end of the file. Linux delivers SIGBUS; the JVM "
            + "turns it into an InternalError (\"a fault occurred in an unsafe memory access operation\") or dies."),
    CONCURRENT_FIRST_TOUCH("H4", "Two threads first touched the same newly allocated block at once. With the "
            + "2015 generic DAX fault path, the thread whose get_block allocated the block zeroes it outside any "
            + "lock, so it can wipe the other thread's store (fault vs fault, seed 003). Today's filesystems zero "
            + "new blocks inside the allocation and are safe."),
    TRUNCATE_DROPS_UNWRITTEN_ENTRY("H7", "The file was shrunk through a 2 MiB DAX entry (PMD) holding stores below the "
            + "new end that no force had written back yet. The kernel deletes the whole entry without writing it "
            + "back (dax_delete_mapping_entry; checked on Linux 6.1 and 6.12), so no later msync or fsync finds "
            + "anything to flush there: those stores stay in the CPU caches, and on persistent memory whose caches "
            + "are not in the persistence domain (ADR, not eADR) a power failure can lose them although the program "
            + "forced them afterwards. Force before shrinking the file.");

    private final String code;
    private final String explanation;

    HazardKind(String code, String explanation) {
        this.code = code;
        this.explanation = explanation;
    }

    public String code() {
        return code;
    }

    public String explanation() {
        return explanation;
    }
}
