package dev.daxaudit.core.report;

/**
 * Where a file lives and which model the engine applied to it, and why: {@code model} is {@code dax},
 * {@code page-cache} or {@code volatile} (not audited); {@code entries} is {@code pmd} when PMD entries were
 * modelled, else {@code pte}; {@code zeroing} is the block zeroing model on DAX, else null.
 */
public record StorageSummary(String filesystem, String mountPoint, String model, boolean audited, String reason,
                             String entries, String zeroing) {
}
