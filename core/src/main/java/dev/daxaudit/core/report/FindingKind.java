package dev.daxaudit.core.report;

/** What went wrong with unsynced data. */
public enum FindingKind {
    /** Stores that no force or fsync made durable by the time the JVM exited. */
    UNSYNCED_AT_EXIT("stores never made durable before exit"),
    /** Stores whose last mapping was unmapped before any force or fsync made them durable. */
    LOST_AT_UNMAP("stores unmapped before they were made durable"),
    /** Stores beyond a new end of file: the truncate discarded them before they were made durable. */
    LOST_AT_TRUNCATE("stores discarded by a truncate before they were made durable");

    private final String description;

    FindingKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
