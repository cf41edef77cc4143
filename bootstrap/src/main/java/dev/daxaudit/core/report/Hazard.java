package dev.daxaudit.core.report;

/**
 * A race hazard on one file: its kind, the page-aligned bytes {@code [start, end)} it concerns, the two sides
 * (thread and site each), how many times it happened between those two sites, and for a truncate under a mapping
 * how many unsynced pages the truncate discarded.
 */
public record Hazard(HazardKind kind, String file, long start, long end, Actor first, Actor second, long count,
                     long discardedPages) {
}
