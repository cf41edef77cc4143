package dev.daxaudit.core.report;

/** What a finding says about the program's stores. */
public enum FindingKind {
    /**
     * Pages the program stored into that no completed force or fsync covered afterwards. Whether the mapping was
     * still there at the end makes no difference to the kernel (munmap and exit keep the dirty data, and a later
     * fsync of the file would still write it), so it is one kind, with the unmap as context.
     */
    UNSYNCED("stores never made durable by a force or fsync");

    private final String description;

    FindingKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
