package dev.daxaudit.tools.crash;

import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.tools.crash.CrashJournalReader.DirtyPage;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashJournalReader.NamespaceOp;
import dev.daxaudit.tools.crash.CrashStates.Enumerated;
import dev.daxaudit.tools.crash.CrashStates.State;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code crash-test} and {@code @CrashTest} share: running the application once under the agent with a crash
 * journal, enumerating the crash states of that journal, and naming what a state did not persist. Each caller then
 * checks the states its own way (a command per state, or a test method per state).
 */
public final class CrashRun {
    private CrashRun() {
    }

    /** A recorded run: where its journal and report went, and how the application exited. */
    public record Recording(Path journal, Path report, int exitStatus) {
        /** Whether the application left a journal (it was a java command and the agent started). */
        public boolean journalled() {
            return journal.toFile().isFile();
        }

        /** The journal under {@code persistence}, or with null the model of the files' filesystems. */
        public Journal read(Persistence persistence) throws IOException {
            return read(persistence, null);
        }

        /** As {@link #read(Persistence)}, over the files under {@code root} (null: where the mapped files are). */
        public Journal read(Persistence persistence, Path root) throws IOException {
            return CrashJournalReader.read(journal, persistence, root);
        }
    }

    /**
     * Runs {@code command} (the java executable first, then its arguments) under the agent of {@code agentJar}, with
     * {@code agentOptions} (a user's, or null) after the crash journal and report, both written into {@code work}.
     * Its output goes to {@code output}; with {@code timeoutSeconds > 0} a run that takes longer is killed and the
     * call fails.
     */
    public static Recording record(Path agentJar, String agentOptions, List<String> command, Path work,
                                   ProcessBuilder.Redirect output, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path journal = work.resolve("crash.journal");
        Path report = work.resolve("report.json");
        List<String> audited = new ArrayList<>();
        audited.add(command.get(0));
        audited.add(AgentOptions.javaagent(agentJar, AgentOptions.render(
                Map.of("crash", journal.toString(), "report", report.toString(), "formats", "json"), agentOptions)));
        audited.addAll(command.subList(1, command.size()));
        ProcessBuilder pb = new ProcessBuilder(audited);
        if (output == ProcessBuilder.Redirect.INHERIT) {
            pb.inheritIO(); // the application's own output and error, as it would print them
        } else {
            pb.redirectErrorStream(true).redirectOutput(output);
        }
        Process p = pb.start();
        if (timeoutSeconds > 0 && !p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("dax-audit: the application did not finish in " + timeoutSeconds + " s");
        }
        return new Recording(journal, report, p.waitFor());
    }

    /**
     * The crash states of {@code journal} by {@code strategy} (see {@link CrashStates#parse}), at most
     * {@code maxStates}; with {@code tornLines}, pages persisted in part too, their other lines keeping the page's
     * durable content.
     */
    public static Enumerated enumerate(Journal journal, String strategy, boolean tornLines, int maxStates)
            throws IOException {
        return enumerate(journal, strategy, tornLines, maxStates, Shard.ALL);
    }

    /** As {@link #enumerate(Journal, String, boolean, int)}, the states of {@code shard} only. */
    public static Enumerated enumerate(Journal journal, String strategy, boolean tornLines, int maxStates, Shard shard)
            throws IOException {
        CrashStates states = CrashStates.parse(strategy);
        if (tornLines) {
            states.withTornLines(new DurableContent(journal));
        }
        return states.enumerate(journal, maxStates, shard);
    }

    /** A torn page's lines that did not persist keep the page's durable content. */
    private static final class DurableContent implements CrashStates.BaseContent {
        private final Journal journal;

        DurableContent(Journal journal) {
            this.journal = journal;
        }

        @Override
        public byte[] of(CrashJournalReader.Point point, int file, long pgoff) throws IOException {
            return CrashImage.durablePage(point, journal.files().get(file), pgoff);
        }
    }

    /** {@code name page N}: a page of a journalled file, by the file's name. */
    public static String page(Journal journal, DirtyPage p) {
        return Paths.get(journal.files().get(p.file()).path()).getFileName() + " page " + p.pgoff();
    }

    /**
     * A size a file had at the crash point that the state does not keep: set by a write or a store past the end
     * (an append, a growth), or under posix by ftruncate, that no sync persisted; {@code setAt} is the pending write
     * or store furthest past the size kept, or null. Under ext4 a size set by ftruncate is a lost operation
     * ({@code resize}) instead.
     */
    public record LostSize(int file, long size, long kept, dev.daxaudit.core.report.Site setAt) {
        public String describe(Journal journal) {
            return Paths.get(journal.files().get(file).path()).getFileName() + " size " + size + " bytes (" + kept
                    + " in this state" + (setAt == null ? "" : "; the last write past it at " + setAt) + ")";
        }
    }

    /** The sizes {@code state} loses, by file. */
    public static List<LostSize> lostSizes(Journal journal, State state) {
        CrashJournalReader.Point point = state.point();
        List<LostSize> out = new ArrayList<>();
        for (Map.Entry<Integer, Long> now : new java.util.TreeMap<>(point.sizes()).entrySet()) {
            int file = now.getKey();
            CrashJournalReader.Durable durable = point.durable().get(file);
            if (durable == null || state.lostOps().stream().anyMatch(op -> op.type() == 'T' && op.file() == file)) {
                continue;
            }
            long kept = CrashImage.size(state, journal, file, durable.size());
            if (kept == now.getValue()) {
                continue;
            }
            DirtyPage last = null;
            for (DirtyPage p : point.dirty()) {
                if (p.file() == file && (p.pgoff() << 12) + 4096 > kept && (last == null || p.pgoff() > last.pgoff())) {
                    last = p;
                }
            }
            out.add(new LostSize(file, now.getValue(), kept, last == null ? null : last.site()));
        }
        return out;
    }

    /**
     * What would have made the failing {@code state} impossible, in one sentence: the pages it lost, made durable
     * before the point where the crash came. After a force or fsync, that writeback made something durable that
     * depends on them: they had to be forced before it. With nothing lost, the durable image itself fails the check.
     */
    public static String remedy(Journal journal, State state) {
        // A mapped file's pages are forced (msync of their range); a file only written is fdatasynced.
        List<String> stored = new ArrayList<>();
        Map<String, List<String>> written = new java.util.LinkedHashMap<>();
        List<DirtyPage> lostPages = state.lostPages();
        for (DirtyPage p : lostPages) {
            if (journal.files().get(p.file()).mapped()) {
                stored.add(page(journal, p) + " (stored at " + p.site() + ")");
            } else {
                written.computeIfAbsent(Paths.get(journal.files().get(p.file()).path()).getFileName().toString(),
                        k -> new ArrayList<>()).add("page " + p.pgoff() + " (written at " + p.site() + ")");
            }
        }
        List<String> verbs = new ArrayList<>();
        if (!stored.isEmpty()) {
            verbs.add("force " + String.join(", ", stored));
        }
        written.forEach((file, pages) -> verbs.add("fdatasync " + file + " (FileChannel.force(false)) for its "
                + String.join(", ", pages)));
        String lost = String.join(", and ", verbs);
        CrashJournalReader.Point point = state.point();
        String at = point.site().toString();
        if (state.torn() != null) {
            DirtyPage p = point.dirty().get(state.torn().index());
            return "a page reaches the media cache line by cache line in any order: make " + page(journal, p)
                    + "'s other lines durable (force) before storing the line that declares them valid";
        }
        List<NamespaceOp> ops = new ArrayList<>();
        for (NamespaceOp op : state.lostOps()) {
            if (op.type() != 'T') {
                ops.add(op); // a lost size change: the size remedy below
            }
        }
        if (!ops.isEmpty()) {
            // One fsync of each directory involved, after the last lost operation, makes every one of them durable;
            // the state shows the effect of the first one lost (the later ones build on it).
            NamespaceOp last = ops.get(ops.size() - 1);
            java.util.Set<String> dirs = new java.util.LinkedHashSet<>();
            for (NamespaceOp op : ops) {
                dirs.addAll(op.directories());
            }
            return (lost.isEmpty() ? "" : lost + ", and ")
                    + "fsync the directory " + String.join(" and ", dirs) + " (FileChannel.open(dir, READ)"
                    + ".force(true)) after " + last.describe() + ": until then a crash may leave the "
                    + switch (ops.get(0).type()) { // what this state shows: its first lost operation's effect
                        case 'R' -> "old name";
                        case 'C' -> "file missing";
                        case 'L' -> "new name missing";
                        default -> "file in place";
                    };
        }
        // A size the program set (an append, a growth) that no sync made durable cuts off what lies past the durable
        // size, pages persisted there or not: the first thing to fix when the state persisted such a page. A
        // truncate no sync made durable leaves the file's old length, its tail included.
        List<String> sizes = new ArrayList<>();
        boolean shrunk = false;
        for (Map.Entry<Integer, Long> now : point.sizes().entrySet()) {
            CrashJournalReader.Durable durable = point.durable().get(now.getKey());
            boolean lostShrink = durable != null && now.getValue() < durable.size();
            shrunk |= lostShrink;
            if (lostShrink || durable != null && now.getValue() > durable.size() && state.persistedPages().stream()
                    .anyMatch(p -> p.file() == now.getKey() && (p.pgoff() << 12) >= durable.size())) {
                sizes.add(Paths.get(journal.files().get(now.getKey()).path()).getFileName() + " (" + now.getValue()
                        + " bytes now, " + durable.size() + " durable)");
            }
        }
        if (!sizes.isEmpty()) {
            return (lost.isEmpty() ? "" : lost + ", and ") + "fdatasync "
                    + String.join(", ", sizes) + (shrunk ? " (FileChannel.force(false)) before " : " (FileChannel.force(false), "
                    + "or force() of a mapping over the new pages) before ") + (point.kind().equals("force") || point.kind().equals("fsync") ? "the "
                    + point.kind() + " at " + at + ", which made durable what depends on it"
                    : point.describe().replaceFirst(" on [^ ]+$", "").replaceFirst("^before ", "the "))
                    + (shrunk ? ": a truncate no sync persisted is undone by the crash, the old length back"
                    : ": a size no sync persisted is lost with the crash, and what lies past it");
        }
        if (lost.isEmpty()) {
            return "every pending page persisted and the files still fail: what was made durable by the point at "
                    + at + " is itself inconsistent";
        }
        return switch (point.kind()) {
            case "force", "fsync" -> lost + " before the " + point.kind() + " at " + at
                    + ", which made durable what depends on " + (lostPages.size() == 1 ? "it" : "them");
            default -> lost + " before " + point.describe().replaceFirst(" on [^ ]+$", "")
                    .replaceFirst("^before ", "the ").replaceFirst("^marker ", "the marker ");
        };
    }

    /** The torn page of {@code state} as one phrase, or null when no page of it is torn. */
    public static String torn(Journal journal, State state) {
        CrashStates.Torn torn = state.torn();
        if (torn == null) {
            return null;
        }
        DirtyPage p = state.point().dirty().get(torn.index());
        return page(journal, p) + ", " + torn.linesPersisted() + " of its " + torn.linesChanged()
                + " changed cache lines persisted (stored at " + p.site() + ")";
    }
}
