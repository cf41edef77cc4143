package dev.daxaudit.tools.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A cause's states read as a person scans them: consecutive numbers as a range, never 400 numbers in a line. */
class FailureCausesTest {
    private static String text(List<Integer> states) {
        return new FailureCauses.Cause("page", "a page", null, states, "").statesText();
    }

    @Test
    void runsOfConsecutiveStatesAreRanges() {
        assertEquals("state 3", text(List.of(3)));
        assertEquals("states 5, 8, 11", text(List.of(5, 8, 11)));
        assertEquals("states 1, 2", text(List.of(1, 2)));
        assertEquals("states 1-3, 7", text(List.of(7, 1, 2, 3)));
        List<Integer> many = new java.util.ArrayList<>(IntStream.rangeClosed(1, 400).boxed().toList());
        many.add(403);
        many.add(404);
        assertEquals("states 1-400, 403, 404", text(many));
    }
}
