package dev.daxaudit.core;

/**
 * The kernel's sample of the last page fault in a page before the kernel tracker collected it: where the store
 * that made the page written was executing ({@code ip}, a user-mode instruction address), on which thread
 * ({@code tid}, the kernel's task id, and {@code thread}, the name the kernel saw it given, or null) and when ({@code nanos}, on {@link System#nanoTime}'s clock). A write into a
 * write-protected page faults once, and nothing faults in it again until the tracker protects it anew, so the last
 * fault sampled in a written page is the store's.
 */
public record StoreFault(long ip, int tid, String thread, long nanos) {
}
