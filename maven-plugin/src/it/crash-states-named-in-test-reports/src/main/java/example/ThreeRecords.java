package example;

import java.nio.file.Path;

/** The crash test's workload: three records appended to records.log in its directory (args[0]), each forced. */
public final class ThreeRecords {
    private ThreeRecords() {
    }

    public static void main(String[] args) throws Exception {
        try (MappedLog log = new MappedLog(Path.of(args[0], "records.log"))) {
            for (long i = 1; i <= 3; i++) {
                log.append(i);
                log.commit();
            }
        }
    }
}
