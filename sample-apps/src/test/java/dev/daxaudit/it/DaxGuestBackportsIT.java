package dev.daxaudit.it;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.util.List;

/**
 * {@link DaxGuestChecks} on a second kernel, the one the release's backports suite offers (6.12 on bookworm, against
 * 6.1), so that DAX behaviour that changed between kernel versions shows up as a failing check, not an assumption.
 * JDK 25 only, and the samples whose file sizes change under a mapping (the trimmed index, the truncate hazard):
 * that is where newer kernels changed the DAX layout rules.
 */
class DaxGuestBackportsIT extends DaxGuestChecks {
    @Override
    String suite() throws IOException, InterruptedException {
        String suite = DaxGuest.backportsSuite();
        String second = DaxGuest.kernelVersion(suite);
        if (second.equals(DaxGuest.kernelVersion(null))) {
            abort(suite + " offers the machine's own kernel " + second + ": no second kernel to compare; skipped");
        }
        return suite;
    }

    @Override
    List<Jdk> jdks() {
        return List.of(Jdk.JDK_25);
    }

    @Override
    List<String> realistic() {
        return List.of("preallocated-index", "preallocated-index-forced", "truncate-under-mapping");
    }
}
