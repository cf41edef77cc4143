package dev.daxaudit.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer on the option parser: any text either parses or is refused with one line under 200 characters (with the
 * "; running unaudited" the agent appends). A bounded run is part of the test suite; seeds are in the resources.
 */
class AgentOptionsFuzzTest {
    @FuzzTest(maxExecutions = 20_000)
    void parsesOrSaysOneShortLine(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            AgentOptions o = AgentOptions.parse(text);
            o.audits("/data/some/file.log");
        } catch (OptionsException e) {
            String line = e.getMessage() + "; running unaudited";
            assertTrue(line.startsWith("dax-audit: "), line);
            assertFalse(line.contains("\n") || line.contains("\r"), line);
            assertTrue(line.length() < 200, line.length() + ": " + line);
        }
    }
}
