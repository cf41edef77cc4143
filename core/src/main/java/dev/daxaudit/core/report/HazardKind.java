package dev.daxaudit.core.report;

/**
 * Race hazards on mapped files, each with what can go wrong on a real system in plain words.
 * The code (H1 to H6) is the one used in the documentation.
 */
public enum HazardKind {
    TRUNCATE_UNDER_MAPPING("H1", "The file was shrunk while a mapping still covered the pages beyond the new end. "
            + "Any later access to those pages faults (SIGBUS on Linux, InternalError in the JVM), and unsynced data "
            + "there is discarded."),
    STORE_BEYOND_EOF("H2", "A store went to a mapped page beyond the end of the file. Linux delivers SIGBUS; the JVM "
            + "turns it into an InternalError (\"a fault occurred in an unsafe memory access operation\") or dies."),
    STORE_RACING_FORCE("H3", "A thread stored into a page while another thread's force covering that page was in "
            + "flight. Whether that store is durable when the force returns is undefined: on DAX it depends on "
            + "whether its cache line was flushed before or after it landed; with the page cache, on whether "
            + "writeback copied the page before it. Force again after the store, or order the two."),
    CONCURRENT_FIRST_TOUCH("H4", "Two threads first touched the same newly allocated block at once. With the "
            + "2015 generic DAX fault path, the thread whose get_block allocated the block zeroes it outside any "
            + "lock, so it can wipe the other thread's store (fault vs fault, seed 003). Today's filesystems zero "
            + "new blocks inside the allocation and are safe."),
    UNSYNCED_AT_UNMAP_OR_CLOSE("H5", "A mapping was unmapped, or a channel of the file closed, while stores through "
            + "it were unsynced. After an unmap the data can only be saved by an fsync of the file; most programs "
            + "never do that, so it is lost on a crash."),
    METADATA_NOT_DURABLE("H6", "Stores went into blocks that their page fault allocated, in a file grown by map() "
            + "or setLength. Until a force or fsync, not even the block allocation is durable: after a crash the "
            + "file may read back as holes or be shorter. A MAP_SYNC (READ_WRITE_SYNC) mapping makes the "
            + "allocation durable at the fault, leaving only the data to flush.");

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
