package dev.daxaudit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test is expected to leave stores unsynced in a file matching {@link #file()}, for tests of failure handling
 * (a crash before the force, a writer killed mid-record). The test fails if no such file is left unsynced, or if
 * {@link #pages()} is given and the count differs; other files left unsynced still fail it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ExpectUnsynced.List.class)
public @interface ExpectUnsynced {
    /** A glob; without '/' it matches the file name, with '/' the absolute path. */
    String file() default "*";

    /** The number of unsynced 4 KiB pages expected in that file; -1 for any number. */
    int pages() default -1;

    /** Several expectations on one test. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        ExpectUnsynced[] value();
    }
}
