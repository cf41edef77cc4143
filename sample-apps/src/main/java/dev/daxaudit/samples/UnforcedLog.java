package dev.daxaudit.samples;

import java.nio.file.Path;

/**
 * Sample (b): the same log, but it never forces. 100 records of 4 + 96 bytes fill bytes [0, 10000), that is
 * pages 0, 1 and 2: all three are unsynced at exit, first dirtied by {@code MappedLog.append}.
 */
public final class UnforcedLog {
    private UnforcedLog() {
    }

    public static void main(String[] args) throws Exception {
        try (MappedLog log = new MappedLog(Path.of(args[0], "unforced.log"), 64 * 1024)) {
            for (int i = 0; i < 100; i++) {
                log.append(MappedLog.record(i, 96));
            }
            System.out.println("appended 100 records, " + log.size() + " bytes, never forced");
        }
    }
}
