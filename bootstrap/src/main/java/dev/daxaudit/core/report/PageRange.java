package dev.daxaudit.core.report;

/** Page-aligned bytes {@code [start, end)} of a file, and how long the oldest store in them stayed unsynced. */
public record PageRange(long start, long end, double unsyncedMillis) {
}
