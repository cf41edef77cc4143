package dev.daxaudit.samples;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/** A correct record store on a mapped memory segment: each record is forced after it is appended. No finding. */
public final class SegmentRecordStore {
    private SegmentRecordStore() {
    }

    public static void main(String[] args) throws Exception {
        try (Arena arena = Arena.ofShared(); SegmentLog log = new SegmentLog(Path.of(args[0], "records.seg"), 65536, arena)) {
            for (int i = 0; i < 100; i++) {
                log.append(i, MappedLog.record(i, 88));
                log.forceLast();
            }
            System.out.println("stored 100 records, " + log.size() + " bytes, each forced");
        }
    }
}
