package dev.daxaudit.benchmarks;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The recovery check of a real, if small, store: {@link CrashWorkload}'s log reopened as its recovery would open it
 * (the 4 MiB file mapped), every record read back, and the log's invariant checked: records {@code 1, 2, ...} from
 * page 0 with nothing after the first missing one. A state that breaks it fails with one line.
 */
public final class LogRecoveryCheck {
    private LogRecoveryCheck() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0], "crash.dat"), StandardOpenOption.READ)) {
            MappedByteBuffer log = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            int records = 0;
            for (int page = 0; page < log.capacity() / 4096; page++) {
                long record = log.getLong(page * 4096);
                if (record == records + 1 && records == page) {
                    records++;
                } else if (record != 0) {
                    System.out.println("record " + record + " in page " + page + " after " + records + " records");
                    System.exit(1);
                }
            }
        }
    }
}
