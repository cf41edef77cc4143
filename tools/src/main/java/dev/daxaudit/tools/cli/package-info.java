/**
 * The command line ({@code java -jar dax-audit-agent.jar ...}, picocli): report, check, diff, attach, dump,
 * options, crash-test. Runs outside the audited JVM; never loads the hooks.
 */
package dev.daxaudit.tools.cli;
