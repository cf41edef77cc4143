package dev.daxaudit.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void aGlobWithoutSlashMatchesTheFileName() {
        assertTrue(Glob.compile("*.log").matches("/data/x/1.log"));
        assertFalse(Glob.compile("*.log").matches("/data/x.log/1.dat"));
        assertTrue(Glob.compile("seg-??.idx").matches("/d/seg-01.idx"));
        assertFalse(Glob.compile("seg-??.idx").matches("/d/seg-1.idx"));
    }

    @Test
    void oneStarStaysInAComponentTwoCrossThem() {
        assertTrue(Glob.compile("/data/*/x.dat").matches("/data/a/x.dat"));
        assertFalse(Glob.compile("/data/*/x.dat").matches("/data/a/b/x.dat"));
        assertTrue(Glob.compile("/data/**").matches("/data/a/b/x.dat"));
        assertTrue(Glob.compile("/data/**/x.dat").matches("/data/a/b/x.dat"));
        assertFalse(Glob.compile("/data/**").matches("/other/x.dat"));
        assertTrue(Glob.compile("/a/b\\*c").matches("/a/b*c"));
        assertFalse(Glob.compile("/a/b\\*c").matches("/a/bxc"));
    }

    @Test
    void classesAndAlternativesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Glob.compile("*.{log,idx}"));
        assertThrows(IllegalArgumentException.class, () -> Glob.compile("[ab].log"));
    }

    /** The JDK's glob matcher backtracks exponentially on this (found by fuzzing the option parser). */
    @Test
    void manyStarsTakeLinearTime() {
        String glob = "*a".repeat(40) + "b";
        String path = "/data/" + "a".repeat(200);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(Glob.compile(glob).matches(path)));
    }
}
