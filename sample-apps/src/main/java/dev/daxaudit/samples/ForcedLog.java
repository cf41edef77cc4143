package dev.daxaudit.samples;

import java.nio.file.Path;

/** Sample (a): an append-only log that forces each record after appending it. Correct: no finding. */
public final class ForcedLog {
    private ForcedLog() {
    }

    public static void main(String[] args) throws Exception {
        try (MappedLog log = new MappedLog(Path.of(args[0], "forced.log"), 64 * 1024)) {
            for (int i = 0; i < 100; i++) {
                log.append(MappedLog.record(i, 96));
                log.forceLast();
            }
            System.out.println("appended 100 records, " + log.size() + " bytes, each forced");
        }
    }
}
