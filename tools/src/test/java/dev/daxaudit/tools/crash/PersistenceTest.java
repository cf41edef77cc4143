package dev.daxaudit.tools.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When each model takes a sync to commit every earlier namespace operation. */
class PersistenceTest {
    private static final int PAGES = CrashJournalReader.CHANGED_PAGES;
    private static final int SIZE = CrashJournalReader.CHANGED_SIZE;
    private static final int UNKNOWN = CrashJournalReader.CHANGES_UNKNOWN;

    @Test
    void posixCommitsNothingButTheDirectoryFsyncPersistsItsOwnEntries() {
        for (char kind : new char[] {'m', 'd', 'f'}) {
            assertFalse(Persistence.POSIX.commits(kind, PAGES | SIZE, false, true));
            assertFalse(Persistence.POSIX.commits(kind, UNKNOWN, true, false));
        }
    }

    @Test
    void ext4CommitsAtAnFsyncWithChangesAndAtADatasyncThatPersistsASizeOrANewFile() {
        assertTrue(Persistence.EXT4.commits('f', PAGES, false, false), "i_sync_tid: any change");
        assertFalse(Persistence.EXT4.commits('f', 0, false, false), "nothing changed: no commit forced");
        assertFalse(Persistence.EXT4.commits('m', PAGES, false, false), "overwrite in place: i_datasync_tid old");
        assertFalse(Persistence.EXT4.commits('d', PAGES, false, false));
        assertTrue(Persistence.EXT4.commits('m', SIZE, false, false), "i_disksize changed");
        assertTrue(Persistence.EXT4.commits('d', PAGES, false, true), "a new inode");
        assertTrue(Persistence.EXT4.commits('f', UNKNOWN, true, false), "a directory's fsync");
        assertTrue(Persistence.EXT4.commits('d', UNKNOWN, false, false), "a file the journal does not audit");
    }

    @Test
    void theDefaultFollowsTheFilesystemsAndABadNameIsOneLine() {
        assertEquals(Persistence.EXT4, Persistence.of(List.of("ext4", "ext4")));
        assertEquals(Persistence.POSIX, Persistence.of(List.of("ext4", "xfs")));
        assertEquals(Persistence.POSIX, Persistence.of(List.of()));
        assertEquals(Persistence.EXT4_NOJOURNAL, Persistence.of(List.of("ext4-nojournal", "ext4-nojournal")));
        assertEquals(Persistence.POSIX, Persistence.of(List.of("ext4", "ext4-nojournal")));
        assertEquals("bad persistence model 'btrfs' (expected posix, ext4 or ext4-nojournal)",
                assertThrows(IllegalArgumentException.class, () -> Persistence.parse("btrfs")).getMessage());
    }
}
