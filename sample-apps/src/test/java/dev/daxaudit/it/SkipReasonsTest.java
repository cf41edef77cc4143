package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A skipped test's reason reaches the console as one {@code [SKIPPED]} line, whether the test was disabled or
 * aborted by an assumption (a missing JDK, browser or QEMU); tests that pass or fail print nothing.
 */
class SkipReasonsTest {
    @Test
    void eachSkippedTestPrintsItsClassNameAndReason() {
        LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        Launcher launcher = LauncherFactory.create(config);
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Subjects.class)).build(),
                    new SkipReasons());
        } finally {
            System.setOut(console);
        }
        assertEquals(List.of(
                "[SKIPPED] SkipReasonsTest$Subjects.aborted(): JDK 21 not found under /usr/lib/jvm",
                "[SKIPPED] SkipReasonsTest$Subjects.disabled(): needs QEMU"),
                printed.toString(StandardCharsets.UTF_8).lines().sorted().toList());
    }

    /** Run only by the launcher above: a nested class is no test class of the build's own. */
    static class Subjects {
        @Test
        void aborted() {
            Assumptions.abort("JDK 21 not found under /usr/lib/jvm");
        }

        @Test
        @Disabled("needs QEMU")
        void disabled() {
        }

        @Test
        void passes() {
        }

        @Test
        void fails() {
            throw new AssertionError("a failure is no skip");
        }
    }
}
