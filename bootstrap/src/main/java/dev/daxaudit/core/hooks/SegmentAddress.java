package dev.daxaudit.core.hooks;

/**
 * The address of a mapped {@code MemorySegment}, in a class of its own: it names an FFM type, and is loaded only
 * when a segment is mapped (JDK 22+), never on JDK 17, where that type does not exist.
 */
final class SegmentAddress {
    private SegmentAddress() {
    }

    static long of(Object segment) {
        return ((java.lang.foreign.MemorySegment) segment).address();
    }
}
