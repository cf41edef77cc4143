package dev.daxaudit.core.report;

import dev.daxaudit.core.Site;

/** The event that made unsynced data unrecoverable (an unmap or a truncate): where and on which thread. */
public record Cause(String event, Site site, String thread) {
}
