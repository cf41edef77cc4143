package dev.daxaudit.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** The recovery check of the crash-test rows: the state's directory exists (as {@code test -d {dir}}). */
public final class TrivialCheck {
    private TrivialCheck() {
    }

    public static void main(String[] args) {
        if (!Files.isDirectory(Path.of(args[0]))) {
            System.out.println("no directory " + args[0]);
            System.exit(1);
        }
    }
}
