package dev.daxaudit.core.report;

import dev.daxaudit.core.Site;

/** One side of a hazard: what a thread did, and where. */
public record Actor(String operation, String thread, Site site) {
}
