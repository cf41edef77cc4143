package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * The engine checked against a real fs-dax kernel, one kernel per subclass: each {@link DaxScenarios} mode (and the JEP 352 sample) runs in
 * the guest under the agent with the {@code fs_dax} tracepoints on, and the model's counts in the report are
 * compared with what the kernel traced for the same file: write faults and their entry size, bytes written back,
 * synchronous (MAP_SYNC) faults. Verdicts (the data truth) are checked too: on a real DAX mount, with MAP_SYNC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DaxGuestChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SCENARIOS = {"pte", "pmd", "partial", "unmap-fsync", "sync"};
    private static final long PAGE = 4096;
    /** Program name, sample, mode; with the findings the host tests expect of them (none, or one). */
    static final String[][] REALISTIC = {
        {"preallocated-index", "PreallocatedIndex", "trim"},
        {"preallocated-index-forced", "PreallocatedIndex", "trim-after-force"},
        {"commit-log", "CommitLog", "clean"},
        {"windowed-store", "WindowedStore"},
        {"fsync-other-descriptors", "FsyncThroughOtherDescriptors"},
        {"truncate-under-mapping", "TruncateUnderMapping", "hazard"},
    };

    private DaxGuest guest;

    /** The Debian suite whose kernel the guest boots; null for the machine's own suites. */
    abstract String suite() throws IOException, InterruptedException;

    /** The JDKs the scenarios run on. */
    abstract List<Jdk> jdks();

    /** The realistic samples to run, by program name (rows of {@link #REALISTIC}). */
    abstract List<String> realistic();

    @BeforeAll
    void bootOnce() throws Exception {
        String suite = suite();
        List<DaxGuest.Program> programs = new ArrayList<>();
        for (Jdk jdk : jdks()) {
            for (String scenario : SCENARIOS) {
                programs.add(new DaxGuest.Program(name(jdk, scenario), jdk, "DaxScenarios", scenario));
            }
            programs.add(new DaxGuest.Program(name(jdk, "jep352"), jdk, "SyncMapping"));
        }
        // The realistic samples and the multi-descriptor and truncate cases, on one JDK: each costs ~15 s emulated.
        for (String[] sample : REALISTIC) {
            if (realistic().contains(sample[0])) {
                programs.add(new DaxGuest.Program(sample[0], Jdk.JDK_25, sample[1], sample.length > 2 ? sample[2] : ""));
            }
        }
        Path work = Paths.get("target", "dax-vm-work" + (suite == null ? "" : "-" + suite)).toAbsolutePath();
        guest = DaxGuest.run(suite, work, programs);
        System.out.println("fs-dax guest: kernel " + guest.kernelVersion + (suite == null ? "" : " from " + suite)
                + ", " + programs.size() + " programs");
    }

    @Test
    void theGuestRanTheKernelAsked() throws IOException {
        assertEquals("kernel " + guest.kernelVersion, Files.readString(guest.out.resolve("kernel")).trim());
    }

    /** The report of a program that ended with status 0 (its output is the message otherwise). */
    private JsonNode report(String program) throws IOException {
        if (guest.attempts(program) > 1) {
            // Visible in the build log, so that emulation faults stay counted rather than silently absorbed.
            System.out.println("fs-dax guest: " + program + " ran " + guest.attempts(program)
                    + " times (emulation faults; outputs kept as " + program + ".out.N)");
        }
        assertEquals(0, guest.status(program), guest.output(program));
        return JSON.readTree(guest.report(program).toFile());
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
            this(name(jdk, scenario), report(name(jdk, scenario)), "/" + scenario + ".dat");
        }

        Observed(String program, JsonNode report, String fileSuffix) throws IOException {
            this.report = report;
            JsonNode found = null;
            for (JsonNode f : report.get("files")) {
                if (f.get("file").asText().endsWith(fileSuffix)) {
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

        /** Write faults the kernel completed with an entry of this kind ({@code pte} or {@code pmd}), not fallen back. */
        long writeFaults(String kind) {
            return trace.stream().filter(e -> e.name().equals("dax_" + kind + "_fault_done") && e.write()
                    && !e.result().contains("FALLBACK")).count();
        }

        /** Whether the kernel tried a PMD entry for a write and fell back to PTE entries. */
        boolean fellBackFromPmd() {
            return trace.stream().anyMatch(e -> e.name().equals("dax_pmd_fault_done") && e.write()
                    && e.result().contains("FALLBACK"));
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
    @MethodSource("jdks")
    void theModelIsDaxOnARealDaxMount(Jdk jdk) throws IOException {
        Observed o = new Observed(jdk, "pte");
        assertEquals("dax", o.file.get("storage").get("model").asText(), o.why());
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void writeFaultsAndTheirEntrySizeMatchTheKernel(Jdk jdk, String scenario) throws IOException {
        Observed o = new Observed(jdk, scenario);
        assertEquals(o.writeFaults("pmd"), o.n("pmdFaults"), o.why());
        assertEquals(o.writeFaults("pte"), o.n("faults") - o.n("pmdFaults"), o.why());
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void bytesWrittenBackMatchTheKernel(Jdk jdk, String scenario) throws IOException {
        Observed o = new Observed(jdk, scenario);
        if (scenario.equals("sync")) {
            // force(index, length) on MAP_SYNC writes back cache lines from user space: no msync, no writeback
            // of entries (dax_writeback_one); the engine counts the lines it flushed, and no msync.
            assertEquals(0, o.count("dax_writeback_one"), o.why());
            assertEquals(0, o.n("msyncs"), o.why());
            assertEquals(PAGE, o.n("bytesFlushed"), o.why());
        } else {
            assertEquals(o.bytesWrittenBack(), o.n("bytesFlushed"), o.why());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void mapSyncFaultsSyncAtTheFaultAsTheKernelDoes(Jdk jdk) throws IOException {
        Observed o = new Observed(jdk, "sync");
        assertEquals(3, o.count("dax_insert_pfn_mkwrite"), o.why());
        assertEquals(o.count("dax_insert_pfn_mkwrite"), o.n("syncFaults"), o.why());
    }

    /** Verdicts from what the program stored, whatever the kernel wrote back around it. */
    @ParameterizedTest
    @MethodSource("jdks")
    void verdictsOnARealDaxKernel(Jdk jdk) throws IOException {
        for (String clean : new String[] {"pte", "pmd", "unmap-fsync"}) {
            Observed o = new Observed(jdk, clean);
            assertEquals(0, o.report.get("summary").get("findings").asLong(), clean + ": " + o.why());
        }
        // force(0, 32 KiB) inside a PMD entry: the kernel wrote back the whole 2 MiB entry, the program made 8
        // pages durable; the other 1,016 pages it stored stay a finding.
        Observed partial = new Observed(jdk, "partial");
        assertEquals(2 * 1024 * 1024, partial.bytesWrittenBack(), partial.why());
        assertEquals(8, partial.n("pagesSynced"), partial.why());
        assertEquals(1016, partial.n("unsyncedPages"), partial.why());
        // MAP_SYNC: force(4096, 4096) wrote back page 1's line only; pages 0 and 2 are unsynced.
        Observed sync = new Observed(jdk, "sync");
        assertEquals(2, sync.n("unsyncedPages"), sync.why());
        StringBuilder ranges = new StringBuilder();
        for (JsonNode range : sync.report.get("findings").get(0).get("ranges")) {
            ranges.append('[').append(range.get("start").asLong()).append(',').append(range.get("end").asLong()).append(']');
        }
        assertEquals("[0,4096][8192,12288]", ranges.toString(), sync.why());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void theJep352SampleRunsOnDaxWithoutFindings(Jdk jdk) throws IOException {
        String program = name(jdk, "jep352");
        assertEquals(0, guest.status(program), guest.output(program));
        assertTrue(guest.output(program).contains("MAP_SYNC mapping written and forced"), guest.output(program));
        JsonNode report = JSON.readTree(guest.report(program).toFile());
        assertEquals(0, report.get("summary").get("findings").asLong(), report.toString());
        assertEquals(1, report.get("files").get(0).get("syncFaults").asLong(), report.toString());
    }

    /**
     * The realistic samples on a DAX mount: per file, the bytes the engine counts as written back equal what the
     * kernel wrote back (dax_writeback_one), and the verdicts are the host's: the broker index trimmed at roll has no
     * finding and one H7 per file (forced before its trims, none), the commit log with its flusher and the fsyncs
     * through other descriptors are clean; the windowed store leaves
     * its closed flag unsynced; the truncate under a live mapping is hazard H1.
     */
    @ParameterizedTest
    @MethodSource("realistic")
    void realisticSamplesAgreeWithTheKernel(String program) throws IOException {
        JsonNode report = report(program);
        for (JsonNode f : report.get("files")) {
            Observed o = new Observed(program, report, f.get("file").asText());
            if (o.n("pmdFaults") > o.writeFaults("pmd") && o.fellBackFromPmd()) {
                // Known limit (README, "Checked against a real kernel"): the filesystem gave this file blocks that
                // are not 2 MiB-aligned on the device, so the kernel fell back to PTE entries where the model,
                // which cannot see extent alignment from user space, assumed PMD entries: it overcounts the bytes
                // written back. Verdicts do not depend on it.
                assertTrue(o.n("bytesFlushed") >= o.bytesWrittenBack(), program + ": " + o.why());
                continue;
            }
            if (program.equals("commit-log")) {
                // Producers store while the flusher forces. The hook sees a store after it landed, the kernel at
                // its fault before it: a store racing the start of a writeback can be counted in the next one.
                // Known limit (README): a few entries either way over ~180 writebacks; the count varies from run to
                // run under emulation (4 and 8 entries seen), so the check allows 16 (~10% of ~350 MiB).
                long slack = 16 * 2 * 1024 * 1024;
                assertTrue(Math.abs(o.bytesWrittenBack() - o.n("bytesFlushed")) <= slack, program + ": " + o.why());
                continue;
            }
            assertEquals(o.bytesWrittenBack(), o.n("bytesFlushed"), program + ": " + o.why());
            assertEquals(o.writeFaults("pmd"), o.n("pmdFaults"), program + ": " + o.why());
        }
        long findings = report.get("summary").get("findings").asLong();
        long hazards = report.get("summary").get("hazards").asLong();
        switch (program) {
            case "preallocated-index" -> {
                // Each trim deletes the 2 MiB entry holding the entries stored since the last periodic force, which
                // the kernel never writes back (the bytes above agree): H7 per file, no finding.
                assertEquals(0, findings, report.get("findings").toString());
                assertEquals(24, hazards, report.get("hazards").toString());
                report.get("hazards").forEach(h -> assertEquals("H7", h.get("code").asText(), h.toString()));
            }
            case "windowed-store" -> assertEquals(1, findings, report.get("findings").toString());
            case "truncate-under-mapping" -> assertEquals("H1", report.get("hazards").get(0).get("code").asText(),
                    report.get("hazards").toString());
            default -> assertEquals(0, findings + hazards, report.get("findings") + " " + report.get("hazards"));
        }
    }

    Stream<Arguments> scenarios() {
        return jdks().stream().flatMap(jdk -> Stream.of(SCENARIOS).map(s -> Arguments.of(jdk, s)));
    }
}
