/**
 * The hooks: the static methods that byte code inserted into the JDK (and call sites rewritten in application
 * classes) call, on the boot class path. Each turns its arguments into an engine event and contains its own failures
 * so that the application never sees them. Logic belongs in the engine, not here.
 */
package dev.daxaudit.core.hooks;
