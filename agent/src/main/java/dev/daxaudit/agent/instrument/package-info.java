/**
 * Instrumentation with raw ASM: one {@code *Instrumentation} class per hooked JDK type, saying which methods call
 * which hook; the transformer that retransforms them; the cache of instrumented JDK class files; the rewriter of
 * call sites in application classes. The only package that uses ASM.
 */
package dev.daxaudit.agent.instrument;
