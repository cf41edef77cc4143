package dev.daxaudit.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The recovery check for {@link CrashLog}'s files in a crash state's directory (args[0]): every record the count
 * (log.dat) or the index (index.dat) names must be there, and a segment the manifest (manifest.dat) names complete
 * must be there under its name, whole and exactly as long as its records, a wal.dat meta.dat names ready must be
 * there at its preallocated length, a segment meta/MANIFEST names must be there with its record, and CURRENT must
 * hold a whole record. Exit 0 and "consistent", or exit 1 and
 * what is wrong.
 */
public final class CrashLogCheck {
    private static final int PAGE = 4096;

    private CrashLogCheck() {
    }

    public static void main(String[] args) throws IOException {
        String problem = problem(Path.of(args[0]));
        System.out.println(problem == null ? "consistent" : problem);
        if (problem != null) {
            System.exit(1);
        }
        // Consistent: main returns (exit 0 as a command), so that a warm checker JVM (--check-class) goes on.
    }

    /** What is wrong with the files in {@code dir}, or null when they are consistent. */
    public static String problem(Path dir) throws IOException {
        String problem = null;
        if (Files.exists(dir.resolve("log.dat"))) {
            ByteBuffer log = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("log.dat")));
            int count = log.capacity() >= 4 ? log.getInt(0) : 0;
            for (int i = 0; i < count && problem == null; i++) {
                problem = record(log, (1 + i) * PAGE, i, "the header counts " + count + " records");
            }
        }
        if (Files.exists(dir.resolve("index.dat"))) {
            ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("index.dat")));
            ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("data.dat")));
            int count = index.capacity() >= 4 ? index.getInt(0) : 0;
            for (int i = 0; i < count && problem == null; i++) {
                problem = record(data, (int) index.getLong(8 + 8 * i), i, "the index lists " + count + " records");
            }
        }
        Path manifest = dir.resolve("manifest.dat");
        if (problem == null && Files.exists(manifest) && Files.size(manifest) >= 4
                && ByteBuffer.wrap(Files.readAllBytes(manifest)).getInt(0) == 1) {
            Path segment = dir.resolve("seg.dat");
            if (!Files.exists(segment)) {
                problem = "the manifest names seg.dat complete but there is no seg.dat";
            } else {
                ByteBuffer seg = ByteBuffer.wrap(Files.readAllBytes(segment));
                int count = seg.capacity() >= 4 ? seg.getInt(0) : 0;
                problem = count == CrashLog.RECORDS ? null : "the manifest names seg.dat complete but it counts "
                        + count + " records";
                if (problem == null && seg.capacity() != (1 + count) * PAGE) {
                    // A sealed segment's length is its data: readers take the pages past its count as records.
                    problem = "the manifest names seg.dat complete but it is " + seg.capacity() + " bytes, not "
                            + (1 + count) * PAGE + " (never trimmed)";
                }
                for (int i = 0; i < count && problem == null; i++) {
                    problem = record(seg, (1 + i) * PAGE, i, "seg.dat counts " + count + " records");
                }
            }
        }
        Path crossManifest = dir.resolve("meta").resolve("MANIFEST");
        if (problem == null && Files.exists(crossManifest) && Files.size(crossManifest) > 0) {
            String named = Files.readString(crossManifest).strip();
            Path segment = dir.resolve(named);
            if (!Files.exists(segment)) {
                problem = "meta/MANIFEST names " + named + " but there is no " + named;
            } else {
                problem = record(ByteBuffer.wrap(Files.readAllBytes(segment)), 0, 0, "meta/MANIFEST names " + named);
            }
        }
        Path meta = dir.resolve("meta.dat");
        if (problem == null && Files.exists(meta) && Files.size(meta) >= 4
                && ByteBuffer.wrap(Files.readAllBytes(meta)).getInt(0) == 1) {
            Path wal = dir.resolve("wal.dat");
            if (!Files.exists(wal)) {
                problem = "meta.dat names wal.dat ready but there is no wal.dat";
            } else if (Files.size(wal) != CrashLog.PREALLOCATED * PAGE) {
                problem = "meta.dat names wal.dat ready but it is " + Files.size(wal) + " bytes, not "
                        + CrashLog.PREALLOCATED * PAGE;
            }
        }
        Path current = dir.resolve("CURRENT");
        if (problem == null && Files.exists(current)) {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(current));
            if (bytes.capacity() < 8 || bytes.getInt(0) != CrashLog.MAGIC) {
                problem = "CURRENT is empty or torn (" + bytes.capacity() + " bytes)";
            }
        }
        if (problem == null && Files.exists(dir.resolve("flagged.dat"))) {
            ByteBuffer flagged = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("flagged.dat")));
            boolean valid = flagged.capacity() >= 4 && flagged.getInt(0) == 1;
            if (valid && (flagged.capacity() < 68 || flagged.getInt(64) != CrashLog.MAGIC)) {
                problem = "the record is flagged valid but its payload is not there";
            }
        }
        return problem;
    }

    private static String record(ByteBuffer file, int offset, int i, String claim) {
        boolean there = offset + 4 <= file.capacity() && file.getInt(offset) == CrashLog.MAGIC + i;
        return there ? null : claim + " but record " + i + " is missing";
    }
}
