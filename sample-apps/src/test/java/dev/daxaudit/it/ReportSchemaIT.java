package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema check is real: a report that breaks the contract is rejected. */
class ReportSchemaIT {
    @TempDir
    Path tmp;

    @Test
    void reportsThatBreakTheContractAreRejected() throws Exception {
        SampleRun run = SampleRun.run(Jdk.JDK_17, "TruncateUnsynced", tmp, "");
        ObjectNode report = (ObjectNode) run.json(); // conforms, or json() fails

        ObjectNode noFindings = report.deepCopy();
        noFindings.remove("findings");
        assertFalse(ReportSchema.violations(noFindings).isEmpty(), "findings is required");

        ObjectNode badKind = report.deepCopy();
        ((ObjectNode) badKind.get("findings").get(0)).put("kind", "SOMETHING_ELSE");
        assertFalse(ReportSchema.violations(badKind).isEmpty(), "finding kinds are an enum");

        ObjectNode unaligned = report.deepCopy();
        ((ObjectNode) unaligned.get("findings").get(0).get("ranges").get(0)).put("start", 100);
        assertFalse(ReportSchema.violations(unaligned).isEmpty(), "ranges are page-aligned");

        ObjectNode extra = report.deepCopy();
        extra.put("unexpected", 1);
        assertFalse(ReportSchema.violations(extra).isEmpty(), "no undocumented fields");
    }
}
