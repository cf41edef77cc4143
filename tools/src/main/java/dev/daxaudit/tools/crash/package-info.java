/**
 * crash-test: reading the crash journal the engine wrote, enumerating crash states, writing each as files, running
 * the user's check on it and reporting the failing states. Shared by the command and the JUnit extension
 * ({@code @CrashTest}). Never runs in the audited JVM.
 */
package dev.daxaudit.tools.crash;
