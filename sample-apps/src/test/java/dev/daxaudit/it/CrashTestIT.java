package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code crash-test}: the {@link dev.daxaudit.samples.CrashLog} modes run under the real agent jar on JDK 17 and 25,
 * their crash states checked by {@link dev.daxaudit.samples.CrashLogCheck}: each buggy order fails at exactly the
 * crash points and with exactly the pages expected, and each correct twin passes every state.
 */
class CrashTestIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path API_CLASSES = Paths.get(System.getProperty("dax.api.classes"));
    /** CrashLog's group commit: the index's force on the committing thread, and the append on the main thread. */
    private static final String SYNC_THREAD_INDEX_FORCE = SourceLines.site("CrashLog", "lambda$syncThread$1",
            "sync-thread-index-force");
    private static final String SYNC_THREAD_APPEND = SourceLines.site("CrashLog", "lambda$syncThread$0",
            "sync-thread-append");

    @TempDir
    Path tmp;

    /** One crash-test run: its exit status, output and crash report. */
    private record Result(int exit, String output, JsonNode report, Path work) {
        /** {@code Class.method:line notPersisted=[file page, ...] persisted=[...]} per failing state. */
        List<String> failures() {
            List<String> out = new ArrayList<>();
            for (JsonNode f : report.get("failures")) {
                out.add(site(f.get("crashPoint").get("site")) + " " + f.get("crashPoint").get("kind").asText()
                        + " notPersisted=" + pages(f.get("notPersisted")) + " persisted=" + pages(f.get("persisted")));
            }
            return out;
        }

        private static List<String> pages(JsonNode pages) {
            List<String> out = new ArrayList<>();
            pages.forEach(p -> out.add(Paths.get(p.get("file").asText()).getFileName() + " " + p.get("page").asLong()));
            return out;
        }
    }

    /** A site of the crash report as {@code pkg.Class.method:12}. */
    private static String site(JsonNode site) {
        return Findings.site(site);
    }

    /** The three failing states of a buggy order: after the force at {@code site}, record i's page not persisted. */
    private static List<String> afterEachForce(String site, String file, int firstPage) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(site + " force notPersisted=[" + file + " " + (firstPage + i) + "] persisted=[]");
        }
        return out;
    }

    /** An option of this test alone, never passed on: leave the persistence model to crash-test's default. */
    private static final String BY_FILESYSTEM = "(persistence by filesystem)";

    private Result crashTest(Jdk jdk, String mode, String... options) throws Exception {
        return crashTest(jdk, List.of(), mode, options);
    }

    /** As {@link #crashTest(Jdk, String, String...)}, the application's JVM started with {@code jvmOptions}. */
    private Result crashTest(Jdk jdk, List<String> jvmOptions, String mode, String... options) throws Exception {
        return crashTest(jdk, jvmOptions, List.of("--check",
                jdk.java() + " -cp " + SampleRun.SAMPLE_CLASSES + " dev.daxaudit.samples.CrashLogCheck {dir}"), mode,
                options);
    }

    /** As {@link #crashTest(Jdk, String, String...)}, the states checked as {@code check} says. */
    private Result crashTest(Jdk jdk, List<String> jvmOptions, List<String> check, String mode, String... options)
            throws Exception {
        Path app = Files.createTempDirectory(tmp, mode + "-app");
        Path work = Files.createTempDirectory(tmp, mode + "-" + jdk.feature + "-work");
        List<String> cmd = cli("crash-test", "--work", work.toString());
        cmd.addAll(check);
        List<String> given = new ArrayList<>(List.of(options));
        if (!given.remove(BY_FILESYSTEM) && !given.contains("--persistence")) {
            // The samples are written for a journaled ext4 (as the guest checks them); this machine's own filesystem
            // may have no journal, where msync-only programs lose data (ext4-nojournal), so the model is named.
            given.addAll(List.of("--persistence", "ext4"));
        }
        cmd.addAll(given);
        cmd.add("--");
        cmd.add(jdk.java().toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", SampleRun.SAMPLE_CLASSES + File.pathSeparator
                + API_CLASSES, "dev.daxaudit.samples.CrashLog", app.toString(), mode));
        return run(cmd, work);
    }

    /** The agent jar's command line, on JDK 25, with {@code args}. */
    private static List<String> cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Jdk.JDK_25.java().toString(), "-jar", SampleRun.AGENT_JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Result run(List<String> cmd, Path work) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Path report = work == null ? null : work.resolve("crash-report.json");
        JsonNode crashReport = report != null && Files.exists(report) ? JSON.readTree(report.toFile()) : null;
        if (crashReport != null) {
            assertTrue(ReportSchema.crashViolations(crashReport).isEmpty(),
                    () -> "crash-report.json violates its schema: " + ReportSchema.crashViolations(crashReport));
        }
        return new Result(exit, output, crashReport, work);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aCountForcedBeforeItsRecordFailsWhereTheRecordIsNotPersisted(Jdk jdk) throws Exception {
        Result r = crashTest(jdk, "header-first");
        assertEquals(1, r.exit(), r.output());
        String force = SourceLines.site("CrashLog", "log", "header-force-first");
        assertEquals(afterEachForce(force, "log.dat", 1), r.failures(), r.output());
        JsonNode first = r.report().get("failures").get(0);
        assertEquals("the header counts 1 records but record 0 is missing", first.get("checker").get("output").asText()
                .strip());
        assertEquals(site(first.get("notPersisted").get(0).get("storedAt")),
                SourceLines.site("CrashLog", "log", "record"));
        // One bug at three crash points: one cause, the record's store, with its three states.
        JsonNode causes = r.report().get("causes");
        assertEquals(1, causes.size(), causes.toString());
        assertEquals("page", causes.get(0).get("kind").asText());
        assertEquals(SourceLines.site("CrashLog", "log", "record"), site(causes.get(0).get("site")));
        List<Integer> failing = new ArrayList<>();
        r.report().get("failures").forEach(f -> failing.add(f.get("state").asInt()));
        List<Integer> caused = new ArrayList<>();
        causes.get(0).get("states").forEach(n -> caused.add(n.asInt()));
        assertEquals(failing, caused);
        assertTrue(r.output().contains("1 cause(s) of 3 failing state(s)"), r.output());
        // What would have made the state impossible: the record forced before the count's force.
        String record = SourceLines.site("CrashLog", "log", "record");
        String recordFrame = "dev.daxaudit.samples.CrashLog.log(CrashLog.java:" + record.substring(record.lastIndexOf(':') + 1)
                + ")";
        String forceFrame = "dev.daxaudit.samples.CrashLog.log(CrashLog.java:" + force.substring(force.lastIndexOf(':') + 1)
                + ")";
        assertEquals("force log.dat page 1 (stored at " + recordFrame + ") before the force at " + forceFrame
                + ", which made durable what depends on it", first.get("remedy").asText());
        assertTrue(r.output().contains("  remedy:        force log.dat page 1 (stored at " + recordFrame), r.output());
        // The failing state's files are kept for the user: the count is there, the record is not.
        Path kept = Paths.get(first.get("directory").asText()).resolve("log.dat");
        assertEquals(4 * 4096, Files.size(kept));
        assertTrue(java.util.regex.Pattern.compile("FAILED state \\d+ at crash point \\d+: after force at "
                + "dev.daxaudit.samples.CrashLog.log\\(CrashLog.java:\\d+\\) on main").matcher(r.output()).find(),
                r.output());
        // Beside the JSON: the application's report in HTML with a section on the crash states, and in SARIF with
        // one result per failing state, valid against the SARIF 2.1.0 schema.
        String html = Files.readString(r.work().resolve("report.html"));
        assertTrue(html.contains("<h2>Crash states</h2>"), html);
        // The headline leads with the failed states, red, even though every store was forced in the end.
        assertTrue(html.contains("<p id=\"verdict\" class=\"bad\">3 crash states failed the recovery check"), html);
        assertTrue(html.contains("data-count=\"failed crash states\"><b>3</b>"), html);
        assertEquals(3, html.split("class=\"crash-state\"", -1).length - 1);
        JsonNode sarif = JSON.readTree(r.work().resolve("report.sarif").toFile());
        assertTrue(ReportSchema.sarifViolations(sarif).isEmpty(), () -> ReportSchema.sarifViolations(sarif).toString());
        List<String> crashResults = new ArrayList<>();
        for (JsonNode result : sarif.get("runs").get(0).get("results")) {
            if (result.get("ruleId").asText().equals("DAX/CRASH_STATE_INCONSISTENT")) {
                crashResults.add(result.get("locations").get(0).get("physicalLocation").get("region").get("startLine")
                        .asText());
            }
        }
        assertEquals(List.of(force, force, force).stream().map(s -> s.substring(s.lastIndexOf(':') + 1)).toList(),
                crashResults);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void recordsForcedBeforeTheirCountPassEveryState(Jdk jdk) throws Exception {
        Result r = crashTest(jdk, "records-first");
        assertEquals(0, r.exit(), r.output());
        String html = Files.readString(r.work().resolve("report.html"));
        assertTrue(html.contains("<p id=\"verdict\" class=\"good\">"), html);
        assertFalse(html.contains("failed crash states"), html);
        assertEquals(0, r.report().get("states").get("failed").asLong());
        assertTrue(r.report().get("states").get("checked").asLong() >= 6, r.report().toString());
        List<String> markers = new ArrayList<>();
        for (JsonNode p : r.report().get("crashPoints")) {
            if (p.get("kind").asText().equals("marker")) {
                markers.add(p.get("label").asText());
            }
        }
        assertEquals(List.of("after-commit-0", "after-commit-1", "after-commit-2"), markers);
    }

    /**
     * msync is {@code vfs_fsync_range(datasync=1)}: the force that persists the records persists the size needed to
     * read them, fsynced or not, so a growth by setLength and then forced loses nothing.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aGrowthPersistedByTheForceOfItsRecordsNeedsNoFsync(Jdk jdk) throws Exception {
        passesEveryState(crashTest(jdk, "grow-unsynced"), 2);
        assertEquals(0, crashTest(jdk, "grow-fsynced").exit());
    }

    /**
     * A file grown by {@code map()} and never fsynced, its count forced before its records: found at each count's
     * force, with the record's page not persisted; its twin, records first, passes every state. (With a size
     * durable only at an fsync every state would be an empty file, and the bug never found.)
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aFileGrownByMapWithItsCountForcedFirstFailsAndItsTwinPasses(Jdk jdk) throws Exception {
        Result r = crashTest(jdk, "map-grown-header-first");
        assertEquals(1, r.exit(), r.output());
        String force = SourceLines.site("CrashLog", "mapGrown", "grown-header-force-first");
        assertEquals(afterEachForce(force, "log.dat", 1), r.failures(), r.output());
        JsonNode first = r.report().get("failures").get(0);
        assertEquals(site(first.get("notPersisted").get(0).get("storedAt")),
                SourceLines.site("CrashLog", "mapGrown", "grown-record"));
        Path kept = Paths.get(first.get("directory").asText()).resolve("log.dat");
        assertEquals(4 * 4096, Files.size(kept), "the size the count's msync made durable");
        passesEveryState(crashTest(jdk, "map-grown-records-first"), 6);
    }

    /** Exit 0 after checking at least {@code states} crash states. */
    private static void passesEveryState(Result r, int states) {
        assertEquals(0, r.exit(), r.output());
        assertEquals(0, r.report().get("states").get("failed").asLong(), r.output());
        assertTrue(r.report().get("states").get("checked").asLong() >= states, r.report().toString());
    }

    /**
     * A 4 GiB segment preallocated sparse by an earlier run, four records forced in a window in its middle: the run
     * costs what the file holds. The journal's first-sight copy and every crash state's file keep the holes (a few
     * blocks on disk, the state's check says so for each state), and where the JDK has FFM (25) the application's JVM reads no hole
     * at all: lseek SEEK_DATA names the extents, so it reads far less than the file's length (on 17 it reads the
     * file whole, zeros included, and copies only what is not zero).
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aSparsePreallocatedSegmentCostsWhatItHolds(Jdk jdk) throws Exception {
        long length = 4L << 30;
        Path app = Files.createTempDirectory(tmp, "sparse-app");
        Path work = Files.createTempDirectory(tmp, "sparse-" + jdk.feature + "-work");
        Path sizes = tmp.resolve("sizes-" + jdk.feature);
        try (RandomAccessFile earlier = new RandomAccessFile(app.resolve("seg.dat").toFile(), "rw")) {
            earlier.setLength(length); // a file created in the run is copied at its creation, empty
        }
        // Each state: a segment of a few blocks on disk, its size noted.
        Result r = run(cli("crash-test",
                "--work", work.toString(), "--check", "f={dir}/seg.dat; test ! -e $f || { test $(stat -c %b $f) -lt "
                        + "1024 && stat -c %s $f >> " + sizes + "; }", "--", jdk.java().toString(), "-cp",
                SampleRun.SAMPLE_CLASSES.toString(), "dev.daxaudit.samples.SparseSegment", app.toString(), "4"), work);
        passesEveryState(r, 5);
        assertTrue(Files.readAllLines(sizes).stream().filter(l -> l.equals(Long.toString(length))).count() >= 4,
                Files.readString(sizes));
        java.util.regex.Matcher rchar = java.util.regex.Pattern.compile("rchar (\\d+)").matcher(r.output());
        assertTrue(rchar.find(), r.output());
        if (jdk.feature >= 22) {
            assertTrue(Long.parseLong(rchar.group(1)) < length / 8, "read " + rchar.group(1) + " bytes");
        }
        Path copy;
        try (var files = Files.walk(work)) {
            copy = files.filter(f -> f.getParent().getFileName().toString().endsWith(".files")).findFirst()
                    .orElseThrow();
        }
        assertEquals(length, Files.size(copy));
        assertTrue(allocatedBytes(copy) < 1 << 20, copy + " allocates " + allocatedBytes(copy) + " bytes");
    }

    private static long allocatedBytes(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] out = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
        stat.waitFor();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    /** Without --work, a run where every state passed leaves nothing in the temporary directory. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aPassingRunWithoutWorkLeavesNoTemporaryDirectory(Jdk jdk) throws Exception {
        Path runTmp = Files.createTempDirectory(tmp, "crash-tmp");
        Path app = Files.createTempDirectory(tmp, "no-work-app");
        Result r = run(List.of(Jdk.JDK_25.java().toString(), "-Djava.io.tmpdir=" + runTmp, "-jar",
                SampleRun.AGENT_JAR.toString(), "crash-test", "--persistence", "ext4", "--check", jdk.java() + " -cp "
                        + SampleRun.SAMPLE_CLASSES + " dev.daxaudit.samples.CrashLogCheck {dir}", "--",
                jdk.java().toString(), "-cp",
                SampleRun.SAMPLE_CLASSES + File.pathSeparator + API_CLASSES, "dev.daxaudit.samples.CrashLog",
                app.toString(), "records-first"), null);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains(" removed (--work keeps a run)"), r.output());
        try (var dirs = Files.list(runTmp)) {
            assertEquals(List.of(), dirs.filter(d -> d.getFileName().toString().startsWith("dax-audit-crash-"))
                    .toList());
        }
    }

    /** Each failing state's lost namespace operations, as {@code operation file Class.method:line}. */
    private static List<List<String>> lostOperations(Result r) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode f : r.report().get("failures")) {
            List<String> ops = new ArrayList<>();
            for (JsonNode op : f.get("notPersistedOperations")) {
                ops.add(op.get("operation").asText() + " " + Paths.get(op.get("path").asText()).getFileName() + " "
                        + site(op.get("site")));
            }
            out.add(ops);
        }
        return out;
    }

    /**
     * A segment filled under a temporary name and renamed into place, then named complete in a manifest, without an
     * fsync of the directory after the rename: a crash can leave the manifest naming a segment still called seg.tmp.
     * Under ext4 exactly the rename is lost (the segment's creation was committed by its first msync, which
     * persisted a new size); under posix its creation too. The twin that fsyncs the directory passes under both.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aRenameWhoseDirectoryIsNeverFsyncedFailsAndItsTwinPasses(Jdk jdk) throws Exception {
        String rename = SourceLines.site("CrashLog", "segment", "segment-rename");
        String create = SourceLines.site("CrashLog", "segment", "segment-create");
        for (String model : List.of("ext4", "posix")) {
            Result r = crashTest(jdk, "rename-unsynced", "--persistence", model);
            assertEquals(1, r.exit(), r.output());
            assertEquals(model, r.report().get("persistence").get("model").asText());
            assertEquals("option", r.report().get("persistence").get("chosenBy").asText());
            List<List<String>> lost = lostOperations(r);
            assertFalse(lost.isEmpty(), r.output());
            for (List<String> ops : lost) {
                List<String> expected = model.equals("ext4") || ops.size() == 1 ? List.of("rename seg.tmp " + rename)
                        : List.of("create seg.tmp " + create, "rename seg.tmp " + rename);
                assertEquals(expected, ops, r.output());
            }
            JsonNode first = r.report().get("failures").get(0);
            assertEquals(SourceLines.site("CrashLog", "segment", "manifest-force"), site(first.get("crashPoint")
                    .get("site")));
            assertEquals("the manifest names seg.dat complete but there is no seg.dat",
                    first.get("checker").get("output").asText().strip());
            assertTrue(first.get("remedy").asText().matches("fsync the directory /\\S+ \\(FileChannel\\.open\\(dir, "
                    + "READ\\)\\.force\\(true\\)\\) after the rename of seg\\.tmp to /\\S+/seg\\.dat at "
                    + java.util.regex.Pattern.quote(rename.replaceFirst(":(\\d+)$", "(CrashLog.java:$1)")) + ": until "
                    + "then a crash may leave the " + (lost.get(0).size() == 1 ? "old name" : "file missing")),
                    first.get("remedy").asText());
            // A state that lost only the rename holds the segment under its old name; one that lost its creation
            // too (posix) holds no segment at all.
            for (int i = 0; i < lost.size(); i++) {
                Path kept = Paths.get(r.report().get("failures").get(i).get("directory").asText());
                assertEquals(lost.get(i).size() == 1, Files.exists(kept.resolve("seg.tmp")), kept.toString());
                assertFalse(Files.exists(kept.resolve("seg.dat")), kept.toString());
            }
            passesEveryState(crashTest(jdk, "rename-dirsynced", "--persistence", model), 10);
        }
    }

    /**
     * The same segment installed by a hard link (link(2) never replaces a name) and the unlink of its temporary name,
     * without an fsync of the directory: a crash can leave the manifest naming a seg.dat whose entry was lost. The
     * segment's data, forced under seg.tmp, is under both names where the link persisted and the unlink did not.
     * Under ext4 the link and the unlink are lost together (the manifest's msync commits nothing); under posix the
     * segment's creation too. The twin that fsyncs the directory passes under both.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aHardLinkWhoseDirectoryIsNeverFsyncedFailsAndItsTwinPasses(Jdk jdk) throws Exception {
        String create = "create seg.tmp " + SourceLines.site("CrashLog", "segment", "segment-create");
        String link = "link seg.tmp " + SourceLines.site("CrashLog", "segment", "segment-link");
        String unlink = "unlink seg.tmp " + SourceLines.site("CrashLog", "segment", "segment-unlink");
        for (String model : List.of("ext4", "posix")) {
            Result r = crashTest(jdk, "link-unsynced", "--persistence", model);
            assertEquals(1, r.exit(), r.output());
            Set<List<String>> expected = model.equals("ext4") ? Set.of(List.of(link, unlink))
                    : Set.of(List.of(link, unlink), List.of(create, link, unlink));
            assertEquals(expected, new HashSet<>(lostOperations(r)), r.output());
            for (JsonNode failure : r.report().get("failures")) {
                assertEquals("the manifest names seg.dat complete but there is no seg.dat",
                        failure.get("checker").get("output").asText().strip());
                boolean linkFirst = failure.get("notPersistedOperations").size() == 2;
                assertTrue(failure.get("remedy").asText().endsWith("a crash may leave the "
                        + (linkFirst ? "new name missing" : "file missing")), failure.get("remedy").asText());
            }
            passesEveryState(crashTest(jdk, "link-dirsynced", "--persistence", model), 10);
        }
    }

    /**
     * A new segment created under its final name and never a directory fsync: under posix a crash can lose its
     * directory entry while the manifest names it; under ext4 its first msync (a new size, a new inode) commits the
     * creation before the manifest is written, and every state passes.
     */
    /**
     * A segment in segments/ and, after it, a manifest naming it in meta/, each file fsynced, neither directory:
     * under posix the two directories' entries persist in either order, so a crash can keep the manifest and lose
     * the segment; enumerating only prefixes of the operations (as before) passed it. Under ext4 each new file's
     * fsync commits its creation in order, and every state passes; the twin that fsyncs segments/ before creating
     * the manifest passes under both.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aManifestInOneDirectoryCanOutliveTheSegmentItNamesInAnotherUnderPosix(Jdk jdk) throws Exception {
        Result posix = crashTest(jdk, "cross-dir-unsynced", "--persistence", "posix");
        assertEquals(1, posix.exit(), posix.output());
        assertEquals(List.of(List.of("create seg.dat " + SourceLines.site("CrashLog", "crossDirectory",
                "cross-segment-create"))), lostOperations(posix).stream().distinct().toList(), posix.output());
        for (JsonNode failure : posix.report().get("failures")) {
            assertEquals("meta/MANIFEST names segments/seg.dat but there is no segments/seg.dat",
                    failure.get("checker").get("output").asText().strip());
            Path kept = Paths.get(failure.get("directory").asText());
            assertTrue(Files.exists(kept.resolve("meta/MANIFEST")), kept.toString());
            assertFalse(Files.exists(kept.resolve("segments/seg.dat")), kept.toString());
        }
        passesEveryState(crashTest(jdk, "cross-dir-unsynced", "--persistence", "ext4"), 2);
        // Without a journal each new file's fsync writes its own directory (ext4_sync_parent): passes too.
        passesEveryState(crashTest(jdk, "cross-dir-unsynced", "--persistence", "ext4-nojournal"), 2);
        passesEveryState(crashTest(jdk, "cross-dir-dirsynced", "--persistence", "posix"), 2);
        passesEveryState(crashTest(jdk, "cross-dir-dirsynced", "--persistence", "ext4"), 2);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aNewFileWhoseDirectoryIsNeverFsyncedFailsUnderPosixAndPassesUnderExt4(Jdk jdk) throws Exception {
        Result posix = crashTest(jdk, "new-segment", "--persistence", "posix");
        assertEquals(1, posix.exit(), posix.output());
        assertEquals(List.of(List.of("create seg.dat " + SourceLines.site("CrashLog", "segment", "segment-create"))),
                lostOperations(posix), posix.output());
        passesEveryState(crashTest(jdk, "new-segment", "--persistence", "ext4"), 10);
        // Without a journal the segment's first msync writes its parent directory too (ext4_sync_parent): no state
        // loses its creation. But its later msyncs allocate blocks without changing its size and leave the inode
        // that maps them unwritten (the guest lost them so): states lose its count and records, and fail.
        Result noJournal = crashTest(jdk, "new-segment", "--persistence", "ext4-nojournal");
        assertEquals(1, noJournal.exit(), noJournal.output());
        for (JsonNode failure : noJournal.report().get("failures")) {
            assertEquals(0, failure.get("notPersistedOperations").size(), failure.toString());
            assertTrue(failure.get("notPersisted").size() > 0, failure.toString());
        }
        // Without the option the model follows the filesystem the files live on, and the report says so.
        Result byFilesystem = crashTest(jdk, "new-segment", BY_FILESYSTEM);
        String expected = expectedModel(tmp);
        assertEquals(expected, byFilesystem.report().get("persistence").get("model").asText());
        assertEquals("filesystem", byFilesystem.report().get("persistence").get("chosenBy").asText());
        assertEquals(expected.equals("ext4") ? 0 : 1, byFilesystem.exit(), byFilesystem.output());
        assertTrue(byFilesystem.output().contains("persistence model " + expected + " (from the filesystem of the "
                + "files; --persistence overrides)"), byFilesystem.output());
    }

    /**
     * Data appended with write(2) through three descriptors (FileChannel.write, RandomAccessFile.write, a
     * FileOutputStream in append mode), its index stored through a mapping and forced before the data's fdatasync:
     * states lose exactly data.dat's pages, each named with the write that dirtied it, and only data.dat's; the twin
     * that fdatasyncs the data first passes every state (one page cache: the channel's fdatasync covers what the
     * other descriptors wrote).
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void dataWrittenWithWriteAndIndexedThroughAMappingFailsUntilFdatasyncedFirst(Jdk jdk) throws Exception {
        Result r = crashTest(jdk, "written-index-first");
        assertEquals(1, r.exit(), r.output());
        List<String> writes = List.of(SourceLines.site("CrashLog", "appendByWrite", "write-channel"),
                SourceLines.site("CrashLog", "appendByWrite", "write-raf"),
                SourceLines.site("CrashLog", "appendByWrite", "write-stream"));
        java.util.Set<String> lost = new java.util.TreeSet<>();
        for (JsonNode f : r.report().get("failures")) {
            assertTrue(f.get("checker").get("output").asText().contains("is missing"), f.toString());
            if (f.get("notPersisted").isEmpty()) {
                // Every written page persisted, but not the size the appends set: the remedy names the size.
                assertTrue(f.get("remedy").asText().startsWith("fdatasync data.dat ("), f.get("remedy").asText());
            }
            for (JsonNode page : f.get("notPersisted")) {
                String file = Paths.get(page.get("file").asText()).getFileName().toString();
                if (file.equals("data.dat")) {
                    int n = page.get("page").asInt();
                    assertEquals(writes.get(n), site(page.get("storedAt")), page.toString());
                    lost.add(file + " " + n);
                } else {
                    assertEquals("index.dat", file, page.toString());
                }
            }
        }
        assertEquals(java.util.Set.of("data.dat 0", "data.dat 1", "data.dat 2"), lost, r.output());
        passesEveryState(crashTest(jdk, "written-data-first"), 5);
    }

    /**
     * Data appended by FileChannel.transferTo from a staging file, which the JDK copies with copy_file_range or
     * sendfile past data.dat's own write: its pages are pending with the transfer's site until data.dat's fdatasync.
     * Indexed first, the states lose exactly data.dat's pages; the twin that fdatasyncs first passes every state
     * (before, the transfers were unseen: the twin failed in every state, the data never there).
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void dataAppendedByTransferToIsPendingUntilItsFdatasync(Jdk jdk) throws Exception {
        Result r = crashTest(jdk, "transfer-index-first");
        assertEquals(1, r.exit(), r.output());
        String transfer = SourceLines.site("CrashLog", "appendByTransfer", "transfer");
        java.util.Set<String> lost = new java.util.TreeSet<>();
        for (JsonNode f : r.report().get("failures")) {
            for (JsonNode page : f.get("notPersisted")) {
                String file = Paths.get(page.get("file").asText()).getFileName().toString();
                if (file.equals("data.dat")) {
                    assertEquals(transfer, site(page.get("storedAt")), page.toString());
                    lost.add(file + " " + page.get("page").asInt());
                }
            }
        }
        assertEquals(java.util.Set.of("data.dat 0", "data.dat 1", "data.dat 2"), lost, r.output());
        passesEveryState(crashTest(jdk, "transfer-data-first"), 5);
    }

    /**
     * A run split into three shards (--shard K/3, as a CI matrix runs them) checks every distinct state once, each
     * under its number in the whole run. The failing states (5, 8 and 11 of the header-first log) all fall in shard
     * 2, so shards 1 and 3 pass on their own; crash-merge joins the three reports into the failures, states and
     * counts of the unsharded run, and fails as it does. A missing shard is refused in one line: a merge never passes
     * on a share of the states.
     */
    @Test
    void shardsMergedAreTheUnshardedRun() throws Exception {
        Result whole = crashTest(Jdk.JDK_25, "header-first", "--strategy", "full");
        assertEquals(1, whole.exit(), whole.output());
        List<Path> shards = new ArrayList<>();
        long checked = 0;
        for (int k = 1; k <= 3; k++) {
            Result shard = crashTest(Jdk.JDK_25, "header-first", "--strategy", "full", "--shard", k + "/3");
            assertEquals(k, shard.report().get("shard").get("index").asInt());
            assertTrue(shard.output().contains("shard " + k + " of 3"), shard.output());
            assertEquals(k == 2 ? 1 : 0, shard.exit(), "only shard 2 has failing states: " + shard.output());
            for (JsonNode f : shard.report().get("failures")) {
                assertEquals(k, (f.get("state").asInt() - 1) % 3 + 1, "a shard checks only its own states");
            }
            checked += shard.report().get("states").get("checked").asLong();
            shards.add(shard.work().resolve("crash-report.json"));
        }
        assertEquals(whole.report().get("states").get("checked").asLong(), checked, "every state once");
        Path merged = tmp.resolve("merged.json");
        List<String> merge = cli("crash-merge", "--out", merged.toString());
        shards.forEach(p -> merge.add(p.toString()));
        Result m = run(merge, null);
        assertEquals(1, m.exit(), m.output());
        JsonNode report = JSON.readTree(merged.toFile());
        assertTrue(ReportSchema.crashViolations(report).isEmpty(), () -> ReportSchema.crashViolations(report)
                .toString());
        assertFalse(report.has("shard"));
        assertEquals(whole.report().get("states"), report.get("states"));
        assertEquals(whole.report().get("crashPoints"), report.get("crashPoints"));
        assertEquals(whole.report().get("causes"), report.get("causes"));
        assertEquals(whole.failures(), new Result(1, "", report, null).failures());
        List<Integer> numbers = new ArrayList<>();
        report.get("failures").forEach(f -> numbers.add(f.get("state").asInt()));
        List<Integer> wholeNumbers = new ArrayList<>();
        whole.report().get("failures").forEach(f -> wholeNumbers.add(f.get("state").asInt()));
        assertEquals(wholeNumbers, numbers);

        Result missing = run(cli("crash-merge", "--out", tmp.resolve("partial.json").toString(),
                shards.get(0).toString()), null);
        assertEquals(2, missing.exit(), missing.output());
        String line = missing.output().strip();
        assertTrue(line.contains("shards [2, 3] of 3 missing") && !line.contains("\n") && line.length() < 200, line);
    }

    /**
     * The recovery check as a Java class (--check-class), run in checker JVMs that take state after state: the same
     * failures as the same check run as a command, and the correct twin passes every state; the class is found on
     * the application's own -cp.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aJavaCheckClassFindsWhatTheSameCheckAsACommandFinds(Jdk jdk) throws Exception {
        List<String> byClass = List.of("--check-class", "dev.daxaudit.samples.CrashLogCheck");
        Result command = crashTest(jdk, "header-first", "--strategy", "full");
        Result warm = crashTest(jdk, List.of(), byClass, "header-first", "--strategy", "full");
        assertEquals(1, warm.exit(), warm.output());
        assertEquals(command.failures(), warm.failures());
        for (String count : List.of("distinct", "checked", "failed")) {
            assertEquals(command.report().get("states").get(count), warm.report().get("states").get(count), count);
        }
        passesEveryState(crashTest(jdk, List.of(), byClass, "records-first", "--strategy", "full"), 9);
    }

    /**
     * A Java check that calls System.exit (state 2), leaves a thread running (state 3) or never answers (state 6)
     * affects only its own state: each state loads the check afresh (its statics count one call), and a checker JVM
     * is not used again after a leak or a timeout (the leaked thread marks its JVM, and every later state would fail
     * there). Exactly state 6 fails, with no answer in its time; the rest pass.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aJavaCheckThatExitsLeaksAThreadOrHangsAffectsOnlyItsOwnState(Jdk jdk) throws Exception {
        Result r = crashTest(jdk, List.of(), List.of("--check-class", "dev.daxaudit.samples.MisbehavingCheck"),
                "records-first", "--strategy", "full", "--timeout", "3");
        assertEquals(1, r.exit(), r.output());
        assertEquals(9, r.report().get("states").get("checked").asInt(), r.output());
        JsonNode failures = r.report().get("failures");
        assertEquals(1, failures.size(), failures.toString());
        assertEquals(6, failures.get(0).get("state").asInt(), failures.toString());
        assertEquals(-1, failures.get(0).get("checker").get("exitStatus").asInt(), failures.toString());
        assertTrue(failures.get(0).get("checker").get("output").asText().startsWith("(no answer in 3 s)"),
                failures.toString());
    }

    /**
     * A group commit: a thread of its own fdatasyncs data.dat and publishes the record count in a mapped index, while
     * the main thread appends with write(2). The sync covers what was written when it started, not a record appended
     * while it ran (held open a second by the {@code slow-fsync} failpoint, so the append lands inside it): counting
     * after the fdatasync returns names a record no sync covered, found at exactly the index's force, with that
     * record's page and append site; the twin that counts before the fdatasync passes every state.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aRecordAppendedWhileAnFdatasyncRunsIsNotCoveredByIt(Jdk jdk) throws Exception {
        List<String> slow = List.of("-Ddax-audit.failpoint=slow-fsync");
        for (String model : List.of("ext4", "posix")) {
            Result r = crashTest(jdk, slow, "sync-thread-count-after", "--persistence", model);
            assertEquals(1, r.exit(), r.output());
            // Before the index's force: record 1's page reached the disk, the size the fdatasync did not cover did
            // not; after it: the page itself is lost.
            assertEquals(List.of(
                    SYNC_THREAD_INDEX_FORCE + " before-force notPersisted=[] persisted=[data.dat 1, index.dat 0]",
                    SYNC_THREAD_INDEX_FORCE + " force notPersisted=[data.dat 1] persisted=[]"), r.failures(),
                    r.output());
            for (JsonNode f : r.report().get("failures")) {
                assertEquals("the index lists 2 records but record 1 is missing",
                        f.get("checker").get("output").asText().strip());
                for (JsonNode page : f.get("notPersisted")) {
                    assertEquals(SYNC_THREAD_APPEND, site(page.get("storedAt")), page.toString());
                    // data.dat is only written: its remedy is its fdatasync, not a force of a mapping
                    assertTrue(f.get("remedy").asText().startsWith("fdatasync data.dat (FileChannel.force(false)) "
                            + "for its page 1 (written at "), f.get("remedy").asText());
                }
                // What the first state lost is the size the append set, named with the append.
                JsonNode sizes = f.get("notPersistedSizes");
                if (f.get("notPersisted").isEmpty()) {
                    assertEquals(1, sizes.size(), f.toString());
                    assertEquals("data.dat", Paths.get(sizes.get(0).get("file").asText()).getFileName().toString());
                    assertEquals(2 * 4096, sizes.get(0).get("size").asLong());
                    assertEquals(4096, sizes.get(0).get("sizeInState").asLong());
                    assertEquals(SYNC_THREAD_APPEND, site(sizes.get(0).get("setAt")));
                    assertTrue(r.output().contains("not persisted: data.dat size 8192 bytes (4096 in this state; "
                            + "the last write past it at "), r.output());
                }
            }
            passesEveryState(crashTest(jdk, slow, "sync-thread-count-before", "--persistence", model), 10);
        }
    }

    /**
     * The same group commit over data.dat also mapped, the thread forcing the mapping (msync, held open a second by
     * the {@code slow-force} failpoint) instead of an fdatasync: one page cache, so the force covers record 0, written
     * before it started, and not record 1, appended while it ran; counting after it returns is found at the index's
     * force, with record 1's page and append site, and its twin passes every state.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aRecordAppendedWhileAForceOfItsMappingRunsIsNotCoveredByIt(Jdk jdk) throws Exception {
        List<String> slow = List.of("-Ddax-audit.failpoint=slow-force");
        Result r = crashTest(jdk, slow, "sync-thread-msync-count-after");
        assertEquals(1, r.exit(), r.output());
        // Before the index's force, record 1's write precedes the index's store: no state keeps the count without it.
        assertEquals(List.of(SYNC_THREAD_INDEX_FORCE + " force notPersisted=[data.dat 1] persisted=[]"), r.failures(),
                r.output());
        for (JsonNode f : r.report().get("failures")) {
            assertEquals("the index lists 2 records but record 1 is missing",
                    f.get("checker").get("output").asText().strip());
            assertEquals(SYNC_THREAD_APPEND, site(f.get("notPersisted").get(0).get("storedAt")), f.toString());
        }
        passesEveryState(crashTest(jdk, slow, "sync-thread-msync-count-before"), 10);
    }

    /**
     * CURRENT replaced the classic way, its new content written with write(2) and renamed over it, the directory
     * fsynced, the new file never fsynced: under posix a crash can leave CURRENT empty, each failing state losing
     * exactly CURRENT.tmp's page written at the write; under ext4, which flushes a file renamed over another before
     * the rename commits (auto_da_alloc, seen in the guest), every state passes; the twin that fsyncs first passes both.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aFileReplacedByRenameWithoutFsyncFailsUnderPosixAndPassesUnderExt4(Jdk jdk) throws Exception {
        Result posix = crashTest(jdk, "replace-unsynced", "--persistence", "posix");
        // ext4 without a journal does not wait for auto_da_alloc's flush: it fails as posix does.
        Result noJournal = crashTest(jdk, "replace-unsynced", "--persistence", "ext4-nojournal");
        assertEquals(1, posix.exit(), posix.output());
        assertEquals(1, noJournal.exit(), noJournal.output());
        assertEquals(posix.failures(), noJournal.failures(), noJournal.output());
        String write = SourceLines.site("CrashLog", "replace", "replace-write");
        for (JsonNode f : posix.report().get("failures")) {
            assertTrue(f.get("checker").get("output").asText().startsWith("CURRENT is empty or torn"), f.toString());
            // What it lost: CURRENT.tmp's page, or only the size its write set (the page reached the disk, its
            // length did not), and the remedy says so.
            for (JsonNode page : f.get("notPersisted")) {
                assertEquals("CURRENT.tmp", Paths.get(page.get("file").asText()).getFileName().toString());
                assertEquals(write, site(page.get("storedAt")));
            }
            if (f.get("notPersisted").isEmpty() && f.get("notPersistedOperations").isEmpty()) {
                assertTrue(f.get("remedy").asText().startsWith("fdatasync CURRENT.tmp ("), f.get("remedy").asText());
            }
        }
        passesEveryState(crashTest(jdk, "replace-unsynced", "--persistence", "ext4"), 4);
        for (String model : List.of("posix", "ext4")) {
            passesEveryState(crashTest(jdk, "replace-synced", "--persistence", model), 4);
        }
    }

    /**
     * A preallocated segment sealed by trimming it to its data and naming it complete in a manifest, the truncate
     * never synced: under both models the crash states from the manifest's force on keep the old length, exactly one
     * distinct failing state, whose remedy names the lost truncate; the twin that fdatasyncs after the truncate
     * passes both.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aTruncateNeverSyncedBeforeTheManifestFailsAndItsSyncedTwinPasses(Jdk jdk) throws Exception {
        for (String model : List.of("posix", "ext4")) {
            JsonNode f = untrimmedSegmentSealed(crashTest(jdk, "trim-unsynced", "--persistence", model));
            assertEquals(SourceLines.site("CrashLog", "trim", "trim-manifest-force"), site(f.get("crashPoint")
                    .get("site")));
            assertEquals(0, f.get("notPersisted").size(), f.toString());
            assertTrue(f.get("remedy").asText().startsWith("fdatasync seg.dat (16384 bytes now, 65536 durable) "
                    + "(FileChannel.force(false)) before the force at "), f.get("remedy").asText());
            assertEquals(65536, Files.size(Paths.get(f.get("directory").asText()).resolve("seg.dat")));
            passesEveryState(crashTest(jdk, "trim-synced", "--persistence", model), 8);
        }
    }

    /**
     * The model crash-test picks for files in {@code dir} by itself: ext4 on an ext4 with a journal, ext4-nojournal
     * on one without (its sysfs journal_task says {@code <none>}), else posix.
     */
    private static String expectedModel(Path dir) throws Exception {
        if (!Files.getFileStore(dir).type().equals("ext4")) {
            return "posix";
        }
        long dev = (Long) Files.getAttribute(dir, "unix:dev");
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        String name = Paths.get("/sys/dev/block/" + major + ":" + minor).toRealPath().getFileName().toString();
        String task = Files.readString(Paths.get("/sys/fs/ext4", name, "journal_task")).trim();
        return task.equals("<none>") ? "ext4-nojournal" : "ext4";
    }

    /** The one failing state of a run whose manifest names seg.dat sealed while it is still untrimmed. */
    private static JsonNode untrimmedSegmentSealed(Result r) {
        assertEquals(1, r.exit(), r.output());
        JsonNode failures = r.report().get("failures");
        assertEquals(1, failures.size(), r.output());
        JsonNode f = failures.get(0);
        assertEquals("the manifest names seg.dat complete but it is 65536 bytes, not 16384 (never trimmed)",
                f.get("checker").get("output").asText().strip());
        return f;
    }

    /**
     * The same segment written with write(2), trimmed and never synced, then named sealed in a manifest written and
     * fsynced. Under ext4 that fsync commits the journal, and the truncate (journaled metadata) with it; but the
     * manifest's new page is on disk before the commit is (data=ordered), so a crash during the fsync leaves the
     * manifest sealed and the segment untrimmed: exactly one state fails, at the crash point before the manifest's
     * fsync, the size change lost (the dm-log-writes replay in the guest left that disk). Under posix only
     * seg.dat's own sync persists its size: the same state, the size named as lost. The twin that fdatasyncs seg.dat
     * after its trim passes every state under both.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aTrimOfAWrittenFileNeedsItsOwnSyncBeforeAnotherFileDependsOnIt(Jdk jdk) throws Exception {
        String manifestFsync = SourceLines.site("CrashLog", "writtenTrim", "written-trim-manifest-fsync");
        for (String model : List.of("ext4", "posix")) {
            Result r = crashTest(jdk, "written-trim-manifest-fsynced", "--persistence", model);
            JsonNode f = untrimmedSegmentSealed(r);
            assertEquals(manifestFsync, site(f.get("crashPoint").get("site")));
            assertEquals("before-fsync", f.get("crashPoint").get("kind").asText(), r.output());
            if (model.equals("ext4")) {
                JsonNode lost = f.get("notPersistedOperations").get(0);
                assertEquals("resize seg.dat 16384 " + SourceLines.site("CrashLog", "writtenTrim", "written-trim"),
                        lost.get("operation").asText() + " " + Paths.get(lost.get("path").asText()).getFileName() + " "
                                + lost.get("size").asLong() + " " + site(lost.get("site")), r.output());
            } else {
                JsonNode size = f.get("notPersistedSizes").get(0);
                assertEquals(16384, size.get("size").asLong());
                assertEquals(65536, size.get("sizeInState").asLong());
            }
            passesEveryState(crashTest(jdk, "written-trim-synced", "--persistence", model), 9);
        }
    }

    /** A run that fails is not a gate that passes: its states are checked, and crash-test exits 3 with one line. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void anApplicationThatFailsFailsTheRunThoughItsStatesPass(Jdk jdk) throws Exception {
        Result r = crashTest(jdk, "no-such-mode");
        assertEquals(3, r.exit(), r.output());
        assertEquals(0, r.report().get("states").get("failed").asLong(), r.output());
        assertTrue(r.output().contains("the application exited 1, not 0: only the crash points before its failure "
                + "were checked"), r.output());
    }

    /**
     * A file created, preallocated and fsynced but never written or mapped, then named ready in a manifest: it is in
     * every state from its creation on, at the size its fsync made durable, not only from a first write or map that
     * never comes (checked against ext4 replayed from a dm-log-writes log in the guest). Without a directory fsync,
     * posix can lose exactly its creation; ext4 commits it with its fsync. The twin that fsyncs the directory passes
     * both.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aFileCreatedAndSyncedButNeverWrittenIsInEveryLaterState(Jdk jdk) throws Exception {
        Result posix = crashTest(jdk, "created-unsynced", "--persistence", "posix");
        assertEquals(1, posix.exit(), posix.output());
        assertEquals(List.of(List.of("create wal.dat " + SourceLines.site("CrashLog", "created", "wal-create"))),
                lostOperations(posix), posix.output());
        JsonNode first = posix.report().get("failures").get(0);
        assertEquals("meta.dat names wal.dat ready but there is no wal.dat",
                first.get("checker").get("output").asText().strip());
        assertEquals(SourceLines.site("CrashLog", "created", "meta-force"), site(first.get("crashPoint").get("site")));
        passesEveryState(crashTest(jdk, "created-unsynced", "--persistence", "ext4"), 6);
        for (String model : List.of("posix", "ext4")) {
            passesEveryState(crashTest(jdk, "created-dirsynced", "--persistence", model), 6);
        }
    }

    /** A file deleted while it holds unsynced pages: its pages drop out of later states, and the run goes on. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aFileDeletedWithUnsyncedPagesDropsOutWithoutAnError(Jdk jdk) throws Exception {
        Result r = crashTest(jdk, "deleted-unsynced");
        passesEveryState(r, 6);
        assertTrue(r.report().get("crashPoints").size() >= 6, r.report().toString());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void anIndexForcedBeforeItsDataFailsAndItsTwinPasses(Jdk jdk) throws Exception {
        Result r = crashTest(jdk, "index-first");
        assertEquals(1, r.exit(), r.output());
        String force = SourceLines.site("CrashLog", "indexed", "index-force-first");
        assertEquals(afterEachForce(force, "data.dat", 0), r.failures(), r.output());
        assertEquals(0, crashTest(jdk, "data-first").exit());
    }

    /** On DAX a page reaches the media line by line: a valid flag stored with its payload may persist without it. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void tornCacheLinesExposeAFlagWrittenBesideItsPayload(Jdk jdk) throws Exception {
        assertEquals(0, crashTest(jdk, "valid-flag").exit(), "whole pages: flag and payload persist together");
        Result r = crashTest(jdk, "valid-flag", "--torn-lines");
        assertEquals(1, r.exit(), r.output());
        assertEquals(List.of(SourceLines.site("CrashLog", "flagged", "flag-force")
                + " before-force notPersisted=[] persisted=[]"), r.failures(), r.output());
        JsonNode torn = r.report().get("failures").get(0).get("torn");
        assertEquals("flagged.dat 0 1/2", Paths.get(torn.get("file").asText()).getFileName() + " "
                + torn.get("page").asLong() + " " + torn.get("linesPersisted").asInt() + "/"
                + torn.get("linesChanged").asInt());
        assertEquals(SourceLines.site("CrashLog", "flagged", "payload"), site(torn.get("storedAt")));
        assertEquals("the record is flagged valid but its payload is not there",
                r.report().get("failures").get(0).get("checker").get("output").asText().strip());
    }

    /**
     * With the kernel tracker the journal has the same pages, though not the order they were stored in (the kernel
     * reports them at the next crash point): the same inconsistencies are found.
     */
    @Test
    void theKernelTrackerFindsTheSameInconsistencies() throws Exception {
        Result r = crashTest(Jdk.JDK_25, "index-first", "--agent-options", "tracking=kernel");
        assertEquals(1, r.exit(), r.output());
        List<String> problems = new ArrayList<>();
        for (JsonNode f : r.report().get("failures")) {
            problems.add(f.get("checker").get("output").asText().strip());
        }
        assertEquals(List.of("the index lists 1 records but record 0 is missing",
                "the index lists 2 records but record 1 is missing", "the index lists 3 records but record 2 is missing"),
                problems, r.output());
    }

    @Test
    void strategiesAndTheCapOnStates() throws Exception {
        Result full = crashTest(Jdk.JDK_25, "header-first", "--strategy", "full");
        assertEquals(3, full.report().get("states").get("failed").asLong(), full.output());
        Result capped = crashTest(Jdk.JDK_25, "header-first", "--strategy", "random:3", "--max-states", "2",
                "--jobs", "2");
        assertEquals(2, capped.report().get("states").get("checked").asLong(), capped.output());
        assertTrue(capped.report().get("states").get("capped").asBoolean());
        assertTrue(capped.output().contains("capped by --max-states"), capped.output());
    }

    @Test
    void badInputIsOneLineAndStatusTwo() throws Exception {
        String java = Jdk.JDK_25.java().toString();
        List<String> base = cli("crash-test");
        Result noDir = run(concat(base, "--check", "true", "--", java, "-version"), null);
        assertEquals(2, noDir.exit());
        assertEquals("dax-audit: --check must name the state's directory as {dir}: true", noDir.output().strip());
        Result strategy = run(concat(base, "--check", "test -d {dir}", "--strategy", "all", "--", java, "-version"), null);
        assertEquals(2, strategy.exit());
        assertEquals("dax-audit: bad strategy 'all' (expected prefix, reverse, random:N or full[:K] with K at most 20)",
                strategy.output().strip());
        Result both = run(concat(base, "--check", "test -d {dir}", "--check-class", "a.B", "--", java, "-version"),
                null);
        assertEquals(2, both.exit());
        assertEquals("dax-audit: give the recovery check as --check <command> or --check-class <class>, one of them",
                both.output().strip());
        Result noPath = run(concat(base, "--check-class", "a.B", "--", java, "-version"), null);
        assertEquals(2, noPath.exit());
        assertEquals("dax-audit: --check-class needs --check-classpath: the application's command line names no class "
                + "path", noPath.output().strip());
        for (String shard : List.of("0/3", "4/3", "2", "a/b")) {
            Result bad = run(concat(base, "--check", "test -d {dir}", "--shard", shard, "--", java, "-version"), null);
            assertEquals(2, bad.exit(), bad.output());
            assertTrue(bad.output().strip().matches("dax-audit: --shard must be K/N[^\n]{0,160}"), bad.output());
        }
        Path work = tmp.resolve("no-java");
        Files.createDirectories(work.resolve("old"));
        Result notEmpty = run(concat(base, "--work", work.toString(), "--check", "test -d {dir}", "--", "true"), null);
        assertEquals(2, notEmpty.exit());
        assertEquals("dax-audit: --work " + work + " is not empty: crash-test writes a new run there",
                notEmpty.output().strip());
        Files.delete(work.resolve("old"));
        Result notJava = run(concat(base, "--work", work.toString(), "--check", "test -d {dir}", "--", "true"), null);
        assertEquals(2, notJava.exit());
        assertEquals("dax-audit: the application left no crash journal (is 'true' a java command? exit status 0)",
                notJava.output().strip());
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }
}
