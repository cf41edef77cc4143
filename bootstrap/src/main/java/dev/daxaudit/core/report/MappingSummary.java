package dev.daxaudit.core.report;


/** Mappings of one byte range of a file in one mode from one site: how many were made, how many are still live. */
public record MappingSummary(long start, long end, String mode, Site site, String thread, long count, long live) {
}
