package dev.daxaudit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Audits each test of the class (or the one method): a test fails if stores it made through memory-mapped files
 * are unsynced when it ends (after its {@code @AfterEach} methods, so resources they close count), unless it
 * declares them with {@link ExpectUnsynced}. Needs the dax-audit agent in the test JVM
 * ({@code -javaagent:dax-audit-agent.jar}, which the dax-audit-maven-plugin's {@code prepare-agent} goal adds).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(DaxAuditExtension.class)
public @interface DaxAudit {
}
