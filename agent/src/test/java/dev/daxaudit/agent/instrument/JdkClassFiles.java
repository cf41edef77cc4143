package dev.daxaudit.agent.instrument;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The class files of an installed JDK, read from its own module image (jrt) whatever JDK runs the test: the agent
 * instruments the classes of JDK 17 and 25, so both are tested. A missing JDK skips the test with a message, and
 * fails it under {@code CI=true}.
 */
final class JdkClassFiles implements AutoCloseable {
    private final int feature;
    private final FileSystem jrt;

    private JdkClassFiles(int feature, FileSystem jrt) {
        this.feature = feature;
        this.jrt = jrt;
    }

    static JdkClassFiles of(int feature) throws IOException {
        Optional<Path> home = find(feature);
        if (home.isEmpty()) {
            String missing = "JDK " + feature + " is not installed under /usr/lib/jvm";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(missing + ": required under CI=true");
            }
            Assumptions.abort(missing + ": test skipped");
        }
        return new JdkClassFiles(feature, FileSystems.newFileSystem(URI.create("jrt:/"),
                Map.of("java.home", home.get().toString())));
    }

    /** The class file of {@code binaryName} in java.base. */
    byte[] classFile(String binaryName) throws IOException {
        return classFile("java.base", binaryName);
    }

    /** The class file of {@code binaryName} in {@code module}. */
    byte[] classFile(String module, String binaryName) throws IOException {
        return Files.readAllBytes(jrt.getPath("modules", module, binaryName.replace('.', '/') + ".class"));
    }

    int feature() {
        return feature;
    }

    @Override
    public void close() throws IOException {
        jrt.close();
    }

    @Override
    public String toString() {
        return "JDK " + feature;
    }

    private static Optional<Path> find(int feature) throws IOException {
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            return homes.filter(h -> featureOf(h) == feature && Files.isRegularFile(h.resolve("lib/jrt-fs.jar")))
                    .sorted().findFirst();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static int featureOf(Path home) {
        try {
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
