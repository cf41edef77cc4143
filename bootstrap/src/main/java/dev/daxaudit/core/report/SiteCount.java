package dev.daxaudit.core.report;


/** A code site and how many entries (pages, or 2 MiB PMD entries) it dirtied first. */
public record SiteCount(Site site, long count) {
}
