package dev.daxaudit.junit;

import dev.daxaudit.core.Glob;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.PageRange;
import dev.daxaudit.core.report.SiteCount;
import java.lang.reflect.Method;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit 5 extension behind {@link DaxAudit}, also registered for JUnit's extension auto-detection
 * ({@code junit.jupiter.extensions.autodetection.enabled=true}) to audit every test. Before each test it notes the
 * engine's clock; after it (after {@code @AfterEach}), it asks the agent's engine which pages first stored since
 * then are still unsynced, and fails the test with the files, pages and code sites, unless {@link ExpectUnsynced}
 * declared them. Tests of one JVM are assumed not to store into mapped files concurrently: stores are scoped by
 * time, not by thread, so a test's background threads count as the test's.
 *
 * <p>Without the agent in the JVM every audited test fails with a message saying what to add, because a check that
 * silently passes is worse than none; {@code -Ddax-audit.junit.requireAgent=false} runs the tests unaudited instead.
 */
public final class DaxAuditExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DaxAuditExtension.class);
    private static final String START = "start";
    static final String REQUIRE_AGENT = "dax-audit.junit.requireAgent";
    static final String NO_AGENT = "dax-audit: the agent is not loaded in this test JVM, so @DaxAudit cannot check "
            + "anything. Add -javaagent:/path/to/dax-audit-agent.jar to the JVM that runs the tests (the "
            + "dax-audit-maven-plugin's prepare-agent goal puts it in argLine for Surefire and Failsafe; keep "
            + "@{argLine} in their own argLine), or set -D" + REQUIRE_AGENT + "=false to run these tests unaudited.";

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!EngineAccess.available()) {
            if (Boolean.parseBoolean(System.getProperty(REQUIRE_AGENT, "true"))) {
                throw new IllegalStateException(NO_AGENT);
            }
            return;
        }
        context.getStore(NAMESPACE).put(START, EngineAccess.now());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Long start = context.getStore(NAMESPACE).remove(START, Long.class);
        if (start == null) {
            return; // unaudited (no agent, and not required)
        }
        List<Finding> findings = EngineAccess.findingsSince(start);
        List<ExpectUnsynced> expected = expectations(context.getTestMethod().orElse(null));
        List<String> problems = new ArrayList<>();
        List<Finding> unexpected = new ArrayList<>(findings);
        for (ExpectUnsynced e : expected) {
            Finding match = null;
            for (Finding f : unexpected) {
                if (matches(e.file(), f.file())) {
                    match = f;
                    break;
                }
            }
            if (match == null) {
                problems.add("expected unsynced stores in a file matching '" + e.file() + "', but the test left none");
            } else {
                unexpected.remove(match);
                if (e.pages() >= 0 && e.pages() != match.pages()) {
                    problems.add("expected " + e.pages() + " unsynced page(s) in " + match.file() + ", found "
                            + match.pages() + ": " + ranges(match));
                } else {
                    // Declared, so the build's check must not fail on it either: file, byte ranges, test.
                    StringBuilder ranges = new StringBuilder();
                    for (dev.daxaudit.core.report.PageRange r : match.ranges()) {
                        ranges.append(ranges.length() == 0 ? "" : ",").append(r.start()).append('-').append(r.end());
                    }
                    ReportSidecar.append("expected", match.file() + "\t" + ranges + "\t"
                            + context.getRequiredTestClass().getName() + "." + context.getRequiredTestMethod().getName());
                }
            }
        }
        if (!unexpected.isEmpty() || !problems.isEmpty()) {
            throw new AssertionError(message(unexpected, problems));
        }
    }

    private static List<ExpectUnsynced> expectations(Method method) {
        return method == null ? List.of() : List.of(method.getAnnotationsByType(ExpectUnsynced.class));
    }

    /** The agent's own glob syntax, as for {@code include=}: one meaning of a glob everywhere. */
    private static boolean matches(String glob, String file) {
        Glob g;
        try {
            g = Glob.compile(glob);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dax-audit: @ExpectUnsynced(file = \"" + glob + "\"): " + e.getMessage()
                    + " (list several @ExpectUnsynced instead)");
        }
        return g.matches(file);
    }

    static String message(List<Finding> unexpected, List<String> problems) {
        StringBuilder sb = new StringBuilder("dax-audit: ");
        if (!unexpected.isEmpty()) {
            sb.append("this test left ").append(unexpected.size()).append(" file(s) with stores it made that no "
                    + "force or fsync made durable:");
            for (Finding f : unexpected) {
                sb.append("\n  ").append(f.file()).append(": ").append(f.pages()).append(" page(s) ")
                        .append(ranges(f));
                for (SiteCount s : f.sites()) {
                    sb.append("\n    first stored at ").append(s.site()).append(" (").append(s.count())
                            .append(" page(s))");
                }
                sb.append("\n    threads ").append(String.join(", ", f.threads()));
                sb.append("\n    ").append(f.explanation());
            }
            sb.append("\nForce the mapping (MappedByteBuffer.force(), MemorySegment.force()) or fsync the file "
                    + "before the test ends, or declare @ExpectUnsynced if the test is about failure handling.");
        }
        for (String p : problems) {
            sb.append(unexpected.isEmpty() && p == problems.get(0) ? "" : "\n").append(p);
        }
        return sb.toString();
    }

    private static String ranges(Finding f) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (PageRange r : f.ranges()) {
            if (shown++ == 6) {
                sb.append(" ... ").append(f.ranges().size() - 6).append(" more");
                break;
            }
            sb.append(sb.length() == 0 ? "" : " ").append('[').append(r.start()).append(", ").append(r.end())
                    .append(')');
        }
        return sb.toString();
    }
}
