package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The agent never breaks the application: bad options and internal errors leave it running as before. */
class FailOpenIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void unknownOptionPrintsOneLineAndTheAppRunsUnaudited(Jdk jdk) throws Exception {
        SampleRun plain = SampleRun.run(jdk, "UnforcedLog", tmp, null);
        SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp, "report=@REPORT@,reprot=x");
        assertEquals(plain.stdout, run.stdout);
        assertEquals(plain.exitCode, run.exitCode);
        List<String> lines = run.agentLines();
        assertEquals(1, lines.size(), run.stderr);
        assertTrue(lines.get(0).startsWith("dax-audit: unknown option 'reprot'; valid keys: report ("), lines.get(0));
        assertTrue(lines.get(0).endsWith("; running unaudited"), lines.get(0));
        assertFalse(Files.exists(run.report), "an unaudited run writes no report");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void badValueNamesTheOptionAndTheAppRuns(Jdk jdk) throws Exception {
        SampleRun run = SampleRun.run(jdk, "ForcedLog", tmp, "formats=xml");
        assertEquals(0, run.exitCode);
        assertEquals(1, run.agentLines().size(), run.stderr);
        assertTrue(run.agentLines().get(0).startsWith("dax-audit: bad value 'xml' for option 'formats'"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void strictMakesABadOptionStopTheJvm(Jdk jdk) throws Exception {
        SampleRun run = SampleRun.run(jdk, "ForcedLog", tmp, "strict=true,bogus=1");
        assertNotEquals(0, run.exitCode);
        assertTrue(run.stderr.contains("dax-audit: unknown option 'bogus'"), run.stderr);
        assertFalse(run.stdout.contains("appended"), "the application must not have run: " + run.stdout);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void internalErrorIsContainedCountedAndReported(Jdk jdk) throws Exception {
        SampleRun plain = SampleRun.run(jdk, "UnforcedLog", tmp, null);
        SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp, "", "-Ddax-audit.failpoint=map");
        assertEquals(plain.stdout, run.stdout);
        assertEquals(plain.exitCode, run.exitCode);
        assertEquals(plain.applicationStderr(), run.applicationStderr());
        JsonNode agent = run.json().get("agent");
        assertEquals(1, agent.get("internalErrors").asLong());
        assertTrue(agent.get("internalErrorSamples").get(0).asText().startsWith("map: java.lang.IllegalStateException"),
                agent.toString());
        assertTrue(run.stderr.contains("dax-audit: 1 internal error(s) in the agent; the report may be incomplete"),
                run.stderr);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void failOnFindingsGivesCiAnExitStatus(Jdk jdk) throws Exception {
        SampleRun buggy = SampleRun.run(jdk, "UnforcedLog", tmp, "report=@REPORT@,failOnFindings=true");
        assertEquals(77, buggy.exitCode);
        assertTrue(buggy.stdout.startsWith("appended 100 records"), "the application ran to its end");
        assertEquals(1, buggy.json().get("findings").size(), "the report is written before the exit");
        assertTrue(buggy.stderr.contains("dax-audit: failOnFindings: 1 finding(s), 0 hazard(s); exit status 77"),
                buggy.stderr);
        SampleRun clean = SampleRun.run(jdk, "ForcedLog", tmp, "report=@REPORT@,failOnFindings=true");
        assertEquals(0, clean.exitCode, clean.stderr);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void textOnlyFormatWritesNoJson(Jdk jdk) throws Exception {
        SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp, "report=@REPORT@,formats=text");
        assertFalse(Files.exists(run.report));
        assertTrue(run.agentLines().get(0).startsWith("dax-audit: 1 finding(s), 3 unsynced page(s)"), run.stderr);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void excludedFilesAreNotAudited(Jdk jdk) throws Exception {
        SampleRun run = SampleRun.run(jdk, "UnforcedLog", tmp, "report=@REPORT@,exclude=**.log");
        assertEquals(0, run.json().get("findings").size());
        assertEquals(0, run.json().get("files").size());
    }
}
