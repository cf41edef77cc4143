package dev.daxaudit.it;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why a test was skipped (a missing JDK, browser or QEMU, not root) on the console, where a build log shows
 * it: Failsafe's summary gives only a count, the reason is otherwise in the XML report alone.
 */
public final class SkipReasons implements TestExecutionListener {
    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void print(TestIdentifier test, String reason) {
        String owner = test.getSource().filter(s -> s instanceof MethodSource)
                .map(s -> ((MethodSource) s).getClassName()).map(c -> c.substring(c.lastIndexOf('.') + 1) + ".")
                .orElse("");
        System.out.println("[SKIPPED] " + owner + test.getDisplayName() + ": " + reason);
    }
}
