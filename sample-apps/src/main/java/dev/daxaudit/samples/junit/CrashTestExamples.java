package dev.daxaudit.samples.junit;

import dev.daxaudit.junit.CrashTest;
import java.nio.file.Path;

/**
 * {@code @CrashTest} examples: {@link dev.daxaudit.samples.CrashLog}'s two orders, each checked by the same
 * recovery code ({@link dev.daxaudit.samples.CrashLogCheck#problem}) in every crash state, under a journaled ext4's
 * rules whatever filesystem the test runs on (on an ext4 without a journal both fail: msync there leaves the blocks
 * it allocates unmapped).
 */
public class CrashTestExamples {
    @CrashTest(workload = dev.daxaudit.samples.CrashLog.class, args = "records-first", persistence = "ext4")
    void passesRecordsForcedBeforeTheirCount(Path state) throws Exception {
        recover(state);
    }

    @CrashTest(workload = dev.daxaudit.samples.CrashLog.class, args = "header-first", persistence = "ext4")
    void failsCountForcedBeforeItsRecord(Path state) throws Exception {
        recover(state);
    }

    private static void recover(Path state) throws Exception {
        String problem = dev.daxaudit.samples.CrashLogCheck.problem(state);
        if (problem != null) {
            throw new AssertionError(problem);
        }
    }
}
