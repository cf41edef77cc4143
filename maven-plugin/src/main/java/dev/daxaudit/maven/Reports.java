package dev.daxaudit.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The JSON reports the test JVMs of a build wrote: {@code dax-audit-<pid>.json} in the report directory. */
final class Reports {
    static final String PREFIX = "dax-audit-";

    private Reports() {
    }

    /** The agent's report option for this directory: one file per JVM, named by its process id. */
    static String pathFor(File directory) {
        return new File(directory, PREFIX + "{pid}.json").getAbsolutePath();
    }

    static List<Path> in(File directory) throws IOException {
        return list(directory, Reports::isReport);
    }

    /** The {@code dax-audit-<pid>.expected} files the JUnit extension left: findings tests declared. */
    static List<Path> expected(File directory) throws IOException {
        return list(directory, p -> p.getFileName().toString().endsWith(".expected"));
    }

    /**
     * Whether a {@code @CrashTest} of the build noted a workload that mapped files ({@code dax-audit-<pid>.crash-tests}
     * beside the test JVM's report: {@code <workload> <files>} per line): its forks' reports are the crash runs' own.
     */
    static boolean crashTestsMapped(File directory) throws IOException {
        for (Path p : list(directory, f -> f.getFileName().toString().endsWith(".crash-tests"))) {
            for (String line : Files.readAllLines(p)) {
                String[] fields = line.trim().split(" ");
                if (fields.length == 2 && fields[1].matches("[1-9][0-9]*")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The files of {@code directory} that {@code wanted} takes, sorted; none when it is not a directory. */
    private static List<Path> list(File directory, java.util.function.Predicate<Path> wanted) throws IOException {
        List<Path> found = new ArrayList<>();
        if (directory.isDirectory()) {
            try (Stream<Path> files = Files.list(directory.toPath())) {
                files.filter(wanted).sorted().forEach(found::add);
            }
        }
        return found;
    }

    static boolean isReport(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(".json") && Files.isRegularFile(p);
    }
}
