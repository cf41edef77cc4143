package dev.daxaudit.core;

import dev.daxaudit.core.report.Site;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the application frame that caused an event: the first frame that is neither the JDK nor dax-audit itself.
 * Only called on slow paths (write faults, forces, unmaps, truncates).
 * A named class rather than a lambda: this runs on the boot class path inside java.base hooks, where
 * linking an invokedynamic call site could re-enter the hooks.
 */
final class SiteCapture implements Function<Stream<StackWalker.StackFrame>, Site> {
    /*
     * The application frame lies under ~10-20 frames of JDK buffer layers and hooks; a first batch of 24 frames
     * fetches it in one call into the VM instead of growing from the default 8 (the walk is ~85% of a write fault's
     * cost in the engine; fault benchmark, JDK 25, same run: +7.4 -> +6.5 us per page).
     */
    private static final StackWalker WALKER = StackWalker.getInstance(java.util.Set.of(), 24);
    private static final SiteCapture INSTANCE = new SiteCapture();
    private static final String[] INFRASTRUCTURE = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.daxaudit.core.", "dev.daxaudit.agent.", "dev.daxaudit.tools."
    };

    private SiteCapture() {
    }

    static Site here() {
        return WALKER.walk(INSTANCE);
    }

    @Override
    public Site apply(Stream<StackWalker.StackFrame> frames) {
        boolean cleaner = false;
        for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
            StackWalker.StackFrame frame = it.next();
            String className = frame.getClassName();
            // dax$audit$ methods are the bridges the agent adds to a class that calls jdk.internal.misc.Unsafe.
            if (!isInfrastructure(className) && !frame.getMethodName().startsWith("dax$audit$")) {
                return new Site(className, frame.getMethodName(), frame.getFileName(), frame.getLineNumber());
            }
            cleaner |= className.startsWith("jdk.internal.ref.Cleaner");
        }
        return cleaner ? Site.GC_CLEANER : Site.UNKNOWN;
    }

    private static boolean isInfrastructure(String className) {
        for (String prefix : INFRASTRUCTURE) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
