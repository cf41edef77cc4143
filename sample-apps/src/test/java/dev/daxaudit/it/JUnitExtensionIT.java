package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The JUnit 5 extension ({@code @DaxAudit}, {@code @ExpectUnsynced}) in forked JVMs with the real agent jar, through
 * JUnit's console launcher: which example tests pass and fail, and with what message; auto-detection; and what a
 * test run without the agent says.
 */
class JUnitExtensionIT {
    private static final Path CONSOLE = Path.of(System.getProperty("dax.junit.console.jar"));
    private static final Path EXTENSION = Path.of(System.getProperty("dax.junit.extension.classes"));
    private static final String EXAMPLES = "dev.daxaudit.samples.junit.";

    @TempDir
    Path tmp;

    /** Test name to failure message (null: passed), from the launcher's XML report. */
    private Map<String, String> run(Jdk jdk, boolean agent, String testClass, String... jvmArgs) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "junit");
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        if (agent) {
            // The store hooks, as the Maven plugin's prepare-agent sets them: these tests check the stores' lines.
            cmd.add("-javaagent:" + SampleRun.AGENT_JAR + "=report=" + dir.resolve("report.json") + ",tracking=bytecode");
        }
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-jar", CONSOLE.toString(), "execute", "--disable-banner", "--details=none",
                "--class-path", SampleRun.SAMPLE_CLASSES + ":" + EXTENSION, "--select-class", EXAMPLES + testClass,
                "--reports-dir", dir.toString()));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        Map<String, String> results = new LinkedHashMap<>();
        NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("TEST-junit-jupiter.xml").toFile()).getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            NodeList failures = c.getElementsByTagName("failure");
            NodeList errors = c.getElementsByTagName("error");
            Element bad = failures.getLength() > 0 ? (Element) failures.item(0)
                    : errors.getLength() > 0 ? (Element) errors.item(0) : null;
            String name = c.getAttribute("name").replace("()", "");
            for (int n = 2; results.containsKey(name); n++) {
                name = name.replaceFirst("#\\d+$", "") + "#" + n; // invocations of one template share a name
            }
            results.put(name, bad == null ? null : bad.getAttribute("message"));
        }
        return results;
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aTestFailsExactlyWhenItLeavesUnexpectedStoresUnsynced(Jdk jdk) throws Exception {
        Map<String, String> results = run(jdk, true, "ExtensionExamples");
        assertEquals(6, results.size(), results.toString());
        for (Map.Entry<String, String> r : results.entrySet()) {
            assertEquals(r.getKey().startsWith("passes"), r.getValue() == null, r.getKey() + ": " + r.getValue());
        }
        String unforced = results.get("failsUnforcedWrite");
        assertTrue(unforced.startsWith("dax-audit: this test left 1 file(s) with stores it made that no force or fsync "
                + "made durable:"), unforced);
        assertTrue(unforced.contains("/unforced.dat: 2 page(s) [0, 8192)"), unforced);
        assertTrue(unforced.contains("first stored at dev.daxaudit.samples.junit.ExtensionExamples.write("
                + "ExtensionExamples.java:" + SourceLines.line("junit/ExtensionExamples.java", "examplesWrite")
                + ") (2 page(s))"), unforced);
        assertTrue(!unforced.contains("before-all.dat"), "stores made before the test are not the test's");
        assertEquals("dax-audit: expected unsynced stores in a file matching '*.none', but the test left none",
                results.get("failsExpectedButAbsent"));
        assertTrue(results.get("failsWrongPageCount").startsWith("dax-audit: expected 1 unsynced page(s) in "),
                results.get("failsWrongPageCount"));
    }

    /** {@code @CrashTest}: one invocation per crash state; a state recovery rejects fails, named with its pages. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aCrashTestFailsTheStatesItsRecoveryRejects(Jdk jdk) throws Exception {
        Path runTmp = Files.createDirectory(tmp.resolve("crash-test-tmp"));
        Map<String, String> results = run(jdk, true, "CrashTestExamples", "-Djava.io.tmpdir=" + runTmp);
        // The passing method's run directory is gone; the failing one's stays, with the failing states' files.
        List<Path> left;
        try (var dirs = Files.list(runTmp)) {
            left = dirs.filter(d -> d.getFileName().toString().startsWith("dax-audit-crash-test-")).toList();
        }
        assertEquals(1, left.size(), left.toString());
        try (var states = Files.list(left.get(0))) {
            assertEquals(3, states.filter(s -> s.getFileName().toString().startsWith("state-")).count());
        }
        List<String> failures = new ArrayList<>();
        int passing = 0;
        for (Map.Entry<String, String> r : results.entrySet()) {
            if (r.getKey().startsWith("passes")) {
                assertNull(r.getValue(), r.getKey());
                passing++;
            } else if (r.getValue() != null) {
                failures.add(r.getValue());
            }
        }
        assertTrue(passing >= 6, results.toString());
        assertEquals(3, failures.size(), results.toString());
        // The states' order is the enumeration's; the pages they lose are what matters.
        failures.sort(java.util.Comparator.comparing(m -> m.substring(m.indexOf("the header counts "))));
        String site = "dev.daxaudit.samples.CrashLog.log(CrashLog.java:";
        for (int i = 0; i < 3; i++) {
            String message = failures.get(i);
            assertTrue(message.startsWith("dax-audit: recovery failed in crash state "), message);
            assertTrue(message.contains("after force at " + site + SourceLines.line("CrashLog.java", "header-force-first")
                    + ") on main; not persisted: log.dat page " + (i + 1) + " (stored at " + site
                    + SourceLines.line("CrashLog.java", "record") + ")); persisted: none; files kept in "), message);
            assertTrue(message.endsWith("the header counts " + (i + 1) + " records but record " + i + " is missing"
                    + "; remedy: force log.dat page " + (i + 1) + " (stored at " + site
                    + SourceLines.line("CrashLog.java", "record") + ")) before the force at " + site
                    + SourceLines.line("CrashLog.java", "header-force-first") + "), which made durable what depends on it"),
                    message);
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void autodetectionAuditsTestsWithoutTheAnnotation(Jdk jdk) throws Exception {
        assertNull(run(jdk, true, "AutodetectedExamples").get("failsWhenAutodetectedUnforcedWrite"),
                "not audited unless auto-detection is on");
        String message = run(jdk, true, "AutodetectedExamples",
                "-Djunit.jupiter.extensions.autodetection.enabled=true").get("failsWhenAutodetectedUnforcedWrite");
        assertTrue(message != null && message.contains("/autodetected.dat: 1 page(s)"), String.valueOf(message));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void withoutTheAgentEveryAuditedTestSaysWhatToAdd(Jdk jdk) throws Exception {
        Map<String, String> results = run(jdk, false, "ExtensionExamples");
        for (String message : results.values()) {
            assertTrue(message != null && message.startsWith("dax-audit: the agent is not loaded in this test JVM, so "
                    + "@DaxAudit cannot check anything. Add -javaagent:"), String.valueOf(message));
        }
        Map<String, String> unaudited = run(jdk, false, "ExtensionExamples", "-Ddax-audit.junit.requireAgent=false");
        assertTrue(unaudited.values().stream().allMatch(m -> m == null), "run unaudited when asked: " + unaudited);
    }
}
