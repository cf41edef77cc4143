package dev.daxaudit.core.report;

/**
 * A race hazard on one file: its kind, the page-aligned bytes {@code [start, end)} it concerns, the two sides
 * (thread and site each), and, where unsynced data is involved, the index in the report's findings of the finding
 * that holds that data ({@code -1} if none), so the data is reported once.
 */
public record Hazard(HazardKind kind, String file, long start, long end, Actor first, Actor second, int finding) {
}
