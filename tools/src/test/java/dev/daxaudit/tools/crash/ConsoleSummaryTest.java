package dev.daxaudit.tools.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashStates.Enumerated;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of a run with many failing states: the first ten in detail, one line for the rest, then the causes,
 * which group every one of them (the reports list each); a run with few failing states shows each.
 */
class ConsoleSummaryTest {
    @TempDir
    Path work;

    private List<String> printed(int failing) throws Exception {
        Journal journal = CrashStatesTest.journal(CrashStatesTest.point(0, 12));
        Enumerated states = CrashStates.parse("prefix").enumerate(journal, 5000); // 13 states, named again and again
        List<CrashTest.Failure> failures = new ArrayList<>();
        for (int i = 0; i < failing; i++) {
            CrashStates.State state = states.states().get(1 + i % (states.states().size() - 1));
            failures.add(new CrashTest.Failure(state, 1, "record missing", work.resolve("s" + i)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new CrashTest(Path.of("agent.jar"), "", null, "full", false, 5000, 1, 10, work, out)
                .print(journal, states, failures, 0, 1.0);
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void manyFailingStatesShowTenInDetailAndCountTheRest() throws Exception {
        List<String> lines = printed(400);
        assertEquals(CrashTest.DETAILED, lines.stream().filter(l -> l.startsWith("FAILED state ")).count());
        assertTrue(lines.contains("... and 390 more failing state(s), each in crash-report.json and report.html, "
                + "their files kept in " + work), lines.toString());
        String causes = lines.stream().filter(l -> l.contains("failing state(s), by what each lost first"))
                .findFirst().orElseThrow();
        assertTrue(causes.endsWith("of 400 failing state(s), by what each lost first:"), causes);
        assertTrue(lines.size() < 250, lines.size() + " lines: ten states of up to 12 pages, not 400");
    }

    @Test
    void fewFailingStatesShowEach() throws Exception {
        List<String> lines = printed(3);
        assertEquals(3, lines.stream().filter(l -> l.startsWith("FAILED state ")).count());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("... and ")), lines.toString());
    }
}
