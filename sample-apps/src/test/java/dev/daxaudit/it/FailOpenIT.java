package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The agent never breaks the application: bad options and internal errors leave it running as before. */
class FailOpenIT {
    @TempDir
    Path tmp;

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

    /**
     * The JVM's own errors are the application's: a store into a page another process truncated away faults, and
     * the InternalError ends the application exactly as it does without the agent (on JDK 17 it arrives inside the
     * hook's stack walk, which used to swallow it, so the application went on and exited 0).
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void theJvmsOwnErrorsReachTheApplicationUnchanged(Jdk jdk) throws Exception {
        SampleRun plain = SampleRun.run(jdk, "ExternalTruncate", tmp, null);
        SampleRun run = SampleRun.run(jdk, "ExternalTruncate", tmp, "report=@REPORT@,formats=json");
        assertEquals(1, plain.exitCode, plain.stderr);
        assertEquals(plain.exitCode, run.exitCode, run.stderr);
        assertEquals("", plain.stdout);
        assertEquals(plain.stdout, run.stdout);
        String error = "Exception in thread \"main\" java.lang.InternalError: a fault occurred in";
        assertTrue(plain.applicationStderr().startsWith(error), plain.applicationStderr());
        assertTrue(run.applicationStderr().startsWith(error), run.applicationStderr());
        assertEquals(0, run.json().get("agent").get("internalErrors").asLong(), "the JVM's error is not the agent's");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aWritebackThatThrowsReachesTheAppUnchangedAndMakesNothingDurable(Jdk jdk) throws Exception {
        SampleRun plain = SampleRun.run(jdk, "FailingWriteback", tmp, null);
        // The verifier also checks the JDK classes the agent changed (boot classes are not verified by default).
        SampleRun run = SampleRun.run(jdk, "FailingWriteback", tmp, "", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:+BytecodeVerificationLocal");
        assertEquals("fsync failed: ClosedChannelException\n", plain.stdout);
        assertEquals(plain.stdout, run.stdout);
        assertEquals(plain.exitCode, run.exitCode);
        JsonNode report = run.json();
        assertEquals(0, report.get("agent").get("internalErrors").asLong(), report.get("agent").toString());
        assertEquals(1, report.get("summary").get("unsyncedPages").asLong(), report.get("summary").toString());
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
