package dev.daxaudit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The method is the recovery check of a crash test: {@link #workload} runs once, in a forked JVM under the agent,
 * with a directory of its own as its first argument; then the method runs once per crash state, with a
 * {@link java.nio.file.Path} parameter naming a directory that holds the workload's files as a crash at that
 * point would leave them. It throws (an assertion, an exception) where recovery finds them inconsistent: that
 * state fails, named with its crash point and the pages that did not reach the media. Crash points: after each
 * force and fsync, before each unmap, close and truncate, {@code DaxAudit.crashPoint} markers, and exit. Needs the
 * dax-audit agent in the test JVM, as {@link DaxAudit} does; the fork uses the same agent jar.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(CrashTestExtension.class)
public @interface CrashTest {
    /** A class with {@code public static void main(String[])}, which gets its directory as args[0]. */
    Class<?> workload();

    /** Further arguments of the workload, after its directory. */
    String[] args() default {};

    /** {@code prefix}, {@code reverse}, {@code random:N} or {@code full[:K]}, as {@code crash-test --strategy}. */
    String strategy() default "prefix";

    /** Also states where a pending page persisted only some of its changed cache lines (DAX), as --torn-lines. */
    boolean tornLines() default false;

    /** States checked at most. */
    int maxStates() default 1000;

    /**
     * When creates, renames and unlinks persist: {@code posix} (at an fsync of the parent directory), {@code ext4}
     * (also at any later sync that commits ext4's journal) or {@code ext4-nojournal} (also at the first sync of the
     * file a new name was given to); empty (the default): ext4 or ext4-nojournal when every audited file is on such
     * a filesystem, else posix.
     */
    String persistence() default "";
}
