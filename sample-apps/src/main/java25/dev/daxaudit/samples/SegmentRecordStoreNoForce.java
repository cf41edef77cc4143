package dev.daxaudit.samples;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * The same record store without force, its arena left open (the global arena): 100 records of 100 bytes fill
 * pages 0 to 2, unsynced at exit.
 */
public final class SegmentRecordStoreNoForce {
    private SegmentRecordStoreNoForce() {
    }

    public static void main(String[] args) throws Exception {
        try (SegmentLog log = new SegmentLog(Path.of(args[0], "records.seg"), 65536, Arena.global())) {
            for (int i = 0; i < 100; i++) {
                log.append(i, MappedLog.record(i, 88));
            }
            System.out.println("stored 100 records, " + log.size() + " bytes, never forced");
        }
    }
}
