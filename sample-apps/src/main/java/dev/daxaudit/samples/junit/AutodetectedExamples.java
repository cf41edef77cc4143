package dev.daxaudit.samples.junit;

import org.junit.jupiter.api.Test;

/** No annotation: audited only when JUnit's extension auto-detection registers the extension. */
class AutodetectedExamples {
    @Test
    void failsWhenAutodetectedUnforcedWrite() throws Exception {
        ExtensionExamples.storesBeforeAnyTest();
        ExtensionExamples.write("autodetected.dat", 1, false);
    }
}
