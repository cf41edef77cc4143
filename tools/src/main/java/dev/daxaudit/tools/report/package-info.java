/**
 * Reading reports (schema validation, upgrade of older versions, merge, diff, fingerprints) and rendering them as
 * text, HTML and SARIF. Runs outside the audited JVM, except the text summary, which the agent prints at exit.
 */
package dev.daxaudit.tools.report;
