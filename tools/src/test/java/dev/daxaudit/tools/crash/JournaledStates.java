package dev.daxaudit.tools.crash;

import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.CrashJournal;
import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.Storage;
import dev.daxaudit.tools.crash.CrashJournalReader.Journal;
import dev.daxaudit.tools.crash.CrashJournalReader.Point;
import dev.daxaudit.tools.crash.CrashStates.State;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The fixture of the crash-state tests that drive a real engine: an engine journaling into a directory as the agent
 * does, and one state of a point written to disk as crash-test would give it to a check.
 */
final class JournaledStates {
    private JournaledStates() {
    }

    /** An engine that takes every file for ext4 with {@code model} and journals crash states to dir/crash.journal. */
    static DaxEngine engine(Path dir, Storage.Model model) throws Exception {
        DaxEngine engine = new DaxEngine(AgentOptions.parse(""), System::nanoTime,
                (device, path) -> new Storage("ext4", "/", model, "test"));
        engine.recordCrashStates(CrashJournal.open(dir.resolve("crash.journal")));
        return engine;
    }

    /** A page-cache engine journaling to dir/crash.journal. */
    static DaxEngine engine(Path dir) throws Exception {
        return engine(dir, Storage.Model.PAGE_CACHE);
    }

    /** The crash point the program marked {@code label}. */
    static Point point(Journal journal, String label) {
        return journal.points().stream().filter(p -> p.label().equals(label)).findFirst().orElseThrow();
    }

    /** The state at {@code point} where nothing pending persisted, written into {@code dir}. */
    static Path nothingPersisted(Journal journal, Point point, Path root, Path dir) throws Exception {
        return write(journal, point, root, dir, "nothing pending persisted",
                (state, at) -> state.persistedPages().isEmpty() && state.opsPersisted() == 0);
    }

    /** The state at {@code point} where every pending operation persisted and no pending page, written into dir. */
    static Path allOpsPersisted(Journal journal, Point point, Path root, Path dir) throws Exception {
        return write(journal, point, root, dir, "every operation persisted",
                (state, at) -> state.persistedPages().isEmpty() && state.opsPersisted() == at.pendingOps().size());
    }

    private static Path write(Journal journal, Point point, Path root, Path dir, String which,
                              BiPredicate<State, Point> wanted) throws Exception {
        Journal at = new Journal(journal.files(), List.of(point), journal.complete(), journal.persistence(),
                journal.persistenceChosen(), journal.initialNames(), journal.fileOfInode(), journal.root());
        for (State state : CrashRun.enumerate(at, "full:12", false, 1000).states()) {
            if (wanted.test(state, point)) {
                CrashImage.write(state, at, root, dir);
                return dir;
            }
        }
        throw new AssertionError("no state where " + which + " at " + point.describe());
    }
}
