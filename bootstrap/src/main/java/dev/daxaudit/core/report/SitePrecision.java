package dev.daxaudit.core.report;

/**
 * How exactly a store's site is known: {@code line} from the store hooks (the first application frame of the
 * store's stack), {@code method} from a sampled write fault in compiled code under the kernel tracker (the
 * outermost compiled method, callees inlined into it included; no line), {@code unknown} when the kernel tracker
 * saw the page written but no fault sample names code (interpreted code, the JVM's own, a throttled or lost
 * sample): the site named is then where the mapping was made.
 */
public enum SitePrecision {
    LINE, METHOD, UNKNOWN;

    /** The name in reports. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The weaker of the two. */
    public SitePrecision weakest(SitePrecision other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /** From its name in a report; {@code null} for anything else. */
    public static SitePrecision of(String label) {
        for (SitePrecision p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        return null;
    }
}
