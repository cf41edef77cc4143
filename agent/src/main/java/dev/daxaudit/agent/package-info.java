/**
 * The agent, in the audited JVM but outside the boot class path: {@code premain}/{@code agentmain}, putting the boot
 * jar on the boot class path, starting the engine, and the report outputs (at exit, at intervals, on {@code dump}).
 */
package dev.daxaudit.agent;
