/**
 * The report model the engine builds (immutable records: findings, hazards, files, code sites) and the JSON writer
 * of the published schema. Depends on nothing else of the engine, so readers of reports can use it alone.
 */
package dev.daxaudit.core.report;
