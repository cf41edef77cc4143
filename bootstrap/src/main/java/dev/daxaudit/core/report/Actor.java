package dev.daxaudit.core.report;


/** One side of a hazard: what a thread did, and where. */
public record Actor(String operation, String thread, Site site) {
}
