/**
 * The JFR events the engine commits (map, writeback, unsynced unmap, hazard), named {@code dev.daxaudit.*}.
 */
package dev.daxaudit.core.jfr;
