package dev.daxaudit.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A JDK installed on this machine, found by its feature version in the {@code release} file of each JDK under
 * /usr/lib/jvm (or the directory named by the {@code dax.jvm.dir} property). Tests that need a missing JDK are
 * skipped with a message naming it, never silently; in CI ({@code CI=true}, as {@code .ci/run} runs) they fail
 * instead, so that a green build has run every sample on every JDK.
 */
public enum Jdk {
    JDK_17(17),
    JDK_25(25);

    final int feature;
    private final Optional<Path> home;

    Jdk(int feature) {
        this.feature = feature;
        this.home = find(feature);
    }

    Path java() {
        if (home.isEmpty()) {
            String missing = "JDK " + feature + " is not installed under " + jvmDir();
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(missing + ": required under CI=true (install it, e.g. Temurin " + feature
                        + ")");
            }
            org.junit.jupiter.api.Assumptions.abort(missing + ": test skipped");
        }
        return home.get().resolve("bin/java");
    }

    private static Path jvmDir() {
        return Paths.get(System.getProperty("dax.jvm.dir", "/usr/lib/jvm"));
    }

    private static Optional<Path> find(int feature) {
        try (Stream<Path> homes = Files.list(jvmDir())) {
            return homes.filter(h -> feature == featureOf(h) && Files.isExecutable(h.resolve("bin/java")))
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int featureOf(Path home) {
        try {
            // Enum constants are built before the enum's static fields, so no static Pattern here.
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "JDK " + feature;
    }
}
