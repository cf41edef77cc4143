package dev.daxaudit.it;

import static dev.daxaudit.it.SourceLines.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Samples shaped like real embedded stores and message logs, on JDK 17 and 25, each under the model detected for
 * this machine's filesystem and under {@code model=dax} (PMD entries where fs/dax.c would use them): the verdicts
 * must be the same, exactly the pages the program stored, whatever the model does with them.
 */
class RealisticSamplesIT {
    private static final long PAGE = 4096;
    private static final long PREALLOCATED = 10 << 20;
    private static final Pattern RANGE = Pattern.compile("(\\S+) unforced \\[(\\d+),(\\d+)\\)");

    @TempDir
    Path tmp;

    static Stream<Arguments> jdksAndModels() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.values()) {
            out.add(Arguments.of(jdk, ""));
            out.add(Arguments.of(jdk, ",model=dax"));
        }
        return out.stream();
    }

    private SampleRun audited(Jdk jdk, String sample, String model) throws Exception {
        SampleRun plain = SampleRun.run(jdk, sample, tmp, null);
        SampleRun run = SampleRun.run(jdk, sample, tmp, "report=@REPORT@" + model);
        assertEquals(plain.exitCode, run.exitCode, run.stderr);
        assertEquals(plain.applicationStderr(), run.applicationStderr());
        assertEquals(0, run.json().get("agent").get("internalErrors").asLong(), run.stderr);
        for (JsonNode f : run.json().get("files")) {
            assertEquals(model.isEmpty() ? "page-cache" : "dax", f.get("storage").get("model").asText(),
                    f.get("storage").get("reason").asText());
        }
        return run;
    }

    private static List<String> findings(SampleRun run) throws Exception {
        return Findings.of(run.json(), run.dir);
    }

    private static JsonNode hazards(SampleRun run) throws Exception {
        return run.json().get("hazards");
    }

    /**
     * Trimmed at each roll by unmap, setLength, remap and force: no finding (every page the program stored was covered
     * by its own force). In the page cache that is all; on DAX each trim cuts through the 2 MiB entry holding the
     * entries stored since the last periodic force, which the kernel deletes unwritten: H7, on exactly those pages
     * ([131072, 163840) of each offset index, [196608, 241664) of each time index), and one per file.
     */
    @ParameterizedTest
    @MethodSource("jdksAndModels")
    void aPreallocatedIndexTrimmedAtEachRollByUnmapSetLengthRemapAndForce(Jdk jdk, String model) throws Exception {
        SampleRun run = audited(jdk, "PreallocatedIndex trim", model);
        assertEquals(List.of(), findings(run));
        if (model.isEmpty()) {
            assertEquals(0, hazards(run).size(), hazards(run).toString());
        } else {
            assertEquals(24, hazards(run).size(), hazards(run).toString());
            for (JsonNode h : hazards(run)) {
                assertEquals("H7", h.get("code").asText());
                boolean offsets = h.get("file").asText().endsWith(".index");
                assertEquals(offsets ? "131072-163840" : "196608-241664", h.get("start").asLong() + "-"
                        + h.get("end").asLong(), h.toString());
                assertEquals("dev.daxaudit.samples.PreallocatedIndex$Index.roll:"
                        + SourceLines.line("PreallocatedIndex.java", "trim"),
                        Findings.site(h.get("threads").get(1).get("site")));
            }
        }
        JsonNode files = run.json().get("files");
        assertEquals(24, files.size());
        assertEquals(160_000, files.get(0).get("size").asLong(), "trimmed to the entries written");
        assertEquals(0, files.get(0).get("unsyncedPages").asLong());
    }

    /** H7's correct twin: a force before each trim leaves nothing unwritten in the entry the truncate deletes. */
    @ParameterizedTest
    @MethodSource("jdksAndModels")
    void aPreallocatedIndexForcedBeforeEachTrimIsClean(Jdk jdk, String model) throws Exception {
        SampleRun run = audited(jdk, "PreallocatedIndex trim-after-force", model);
        assertEquals(List.of(), findings(run));
        assertEquals(0, hazards(run).size(), hazards(run).toString());
    }

    @ParameterizedTest
    @MethodSource("jdksAndModels")
    void theActiveSegmentNeverForcedAgainIsExactlyItsPagesStoredSinceItsLastForce(Jdk jdk, String model)
            throws Exception {
        SampleRun run = audited(jdk, "PreallocatedIndex trim-last-unforced", model);
        List<String> expected = new ArrayList<>();
        for (String line : run.stdout.lines().filter(l -> l.startsWith("active ")).toList()) {
            Matcher m = RANGE.matcher(line);
            assertTrue(m.find(), line);
            String name = m.group(1);
            long first = Long.parseLong(m.group(2)) / PAGE;
            long end = (Long.parseLong(m.group(3)) + PAGE - 1) / PAGE;
            expected.add("UNSYNCED " + name + " [" + first * PAGE + "," + end * PAGE + ") sites=" + indexSites(name,
                    first, end) + " threads=[main]");
        }
        assertEquals(List.of("UNSYNCED 00000000000000220000.index [131072,163840) sites=["
                + site("PreallocatedIndex", "main", "offsetEntry") + " x8] threads=[main]"), expected.subList(0, 1),
                "the sample's own account of what it left unforced");
        assertEquals(expected, findings(run));
        // On DAX the 22 segments trimmed at roll are H7 (see the trim test); the active one is never trimmed.
        assertEquals(model.isEmpty() ? 0 : 22, hazards(run).size(), hazards(run).toString());
    }

    /**
     * The site of the first store into each page: offset index entries are 8 bytes, so every page starts with an
     * entry's first {@code putInt}; time index entries are 12 bytes, so a page starts in an entry's {@code putLong}
     * (which may cross into it) or at its {@code putInt}.
     */
    private static String indexSites(String name, long first, long end) {
        TreeMap<Integer, Long> byLine = new TreeMap<>();
        for (long page = first; page < end; page++) {
            String marker = name.endsWith(".index") ? "offsetEntry" : (page * PAGE) % 12 < 8 ? "timeEntry" : "timeOffset";
            byLine.merge(SourceLines.line("PreallocatedIndex.java", marker), 1L, Long::sum);
        }
        List<String> sites = new ArrayList<>();
        byLine.entrySet().stream()
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                        : b.getValue().compareTo(a.getValue()))
                .forEach(e -> sites.add("dev.daxaudit.samples.PreallocatedIndex.main:" + e.getKey() + " x"
                        + e.getValue()));
        return sites.toString();
    }

    @ParameterizedTest
    @MethodSource("jdksAndModels")
    void trimmingUnderTheLiveMappingIsOneHazardPerTrimAndNoFinding(Jdk jdk, String model) throws Exception {
        SampleRun run = audited(jdk, "PreallocatedIndex live-trim", model);
        assertEquals(List.of(), findings(run));
        List<JsonNode> hazards = new ArrayList<>();
        long h7 = 0;
        for (JsonNode h : hazards(run)) {
            if (h.get("code").asText().equals("H7")) {
                h7++; // on DAX, as for trim
            } else {
                hazards.add(h);
            }
        }
        assertEquals(model.isEmpty() ? 0 : 24, h7);
        assertEquals(24, hazards.size());
        for (JsonNode h : hazards) {
            assertEquals("H1", h.get("code").asText());
            assertEquals(1, h.get("count").asLong());
            assertEquals(0, h.get("discardedPages").asLong(), "nothing was stored beyond the entries written");
            assertEquals(PREALLOCATED, h.get("end").asLong());
            assertEquals("dev.daxaudit.samples.PreallocatedIndex$Index.roll:"
                    + SourceLines.line("PreallocatedIndex.java", "trim"), Findings.site(h.get("threads").get(1).get("site")));
        }
        assertEquals(163_840, hazards.get(0).get("start").asLong(), "the first page wholly beyond 160,000 bytes");
    }

    @ParameterizedTest
    @MethodSource("jdksAndModels")
    void aCommitLogForcedByAFlusherThreadWhileProducersAppendIsClean(Jdk jdk, String model) throws Exception {
        SampleRun run = audited(jdk, "CommitLog clean", model);
        assertEquals(List.of(), findings(run));
        assertEquals(0, hazards(run).size(), hazards(run).toString());
        assertTrue(run.fileSummary("commit.log").get("msyncs").asLong() > 2, "the flusher forced while producing");
    }

    @ParameterizedTest
    @MethodSource("jdksAndModels")
    void aCommitLogStoppedBeforeItsFinalForceHasExactlyItsTailUnsynced(Jdk jdk, String model) throws Exception {
        SampleRun run = audited(jdk, "CommitLog exit-before-final-force", model);
        Matcher m = Pattern.compile("tail \\[(\\d+),(\\d+)\\)").matcher(run.stdout);
        assertTrue(m.find(), run.stdout);
        long first = Long.parseLong(m.group(1)) / PAGE * PAGE;
        long end = (Long.parseLong(m.group(2)) + PAGE - 1) / PAGE * PAGE;
        JsonNode findings = run.json().get("findings");
        assertEquals(1, findings.size(), findings.toString());
        JsonNode f = findings.get(0);
        assertEquals(1, f.get("ranges").size());
        assertEquals(first, f.get("ranges").get(0).get("start").asLong());
        assertEquals(end, f.get("ranges").get(0).get("end").asLong());
        assertTrue(f.get("race").isNull(), "nothing raced the tail: the flusher had stopped");
        Set<String> sites = Set.of(site("CommitLog", "append", "recordHeader"), site("CommitLog", "append",
                "recordBody"));
        for (JsonNode s : f.get("sites")) {
            assertTrue(sites.contains(Findings.site(s)), Findings.site(s));
        }
        for (JsonNode t : f.get("threads")) {
            assertTrue(t.asText().matches("producer-[0-3]"), t.asText());
        }
        assertEquals(0, hazards(run).size(), hazards(run).toString());
    }

    @ParameterizedTest
    @MethodSource("jdksAndModels")
    void aStoreOfOneMebibyteWindowsForcedAtCommitHasOnlyItsLastHeaderWriteUnsynced(Jdk jdk, String model)
            throws Exception {
        SampleRun run = audited(jdk, "WindowedStore", model);
        // The store leaves its windows to the GC: when a collection happens to run before exit, the header's window
        // is unmapped by the cleaner, which the finding then says; whether it runs is up to the JVM.
        List<String> found = new ArrayList<>();
        for (String f : findings(run)) {
            found.add(f.replace(" unmapped=1@(garbage collector).Cleaner:-1/Reference Handler", ""));
        }
        assertEquals(List.of("UNSYNCED store.db [0,4096) sites=[" + site("WindowedStore", "close", "closedFlag")
                + " x1] threads=[main] closed@" + site("WindowedStore", "main", "close") + "/main"), found);
        assertEquals(0, run.json().get("findings").get(0).get("newBlocks").get("metadataNotDurable").asLong(),
                "the header's block was allocated long before, and made durable by the first commit");
        assertEquals(0, hazards(run).size(), hazards(run).toString());
    }
}
