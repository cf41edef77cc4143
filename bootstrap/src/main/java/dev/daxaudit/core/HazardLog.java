package dev.daxaudit.core;

import dev.daxaudit.core.jfr.HazardRecordedEvent;
import dev.daxaudit.core.report.HazardKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The race hazards of one file. One bug is one hazard: occurrences of the same kind between the same two code
 * sites are counted into one entry (the range grows to cover them all), so a loop that truncates under its mapping
 * a thousand times gives one hazard with a count of 1000. Each occurrence is still a JFR event. Guarded by the
 * owning {@link AddressSpace}.
 */
final class HazardLog {
    /** Distinct hazards kept per file; beyond that only the JFR events remain. */
    private static final int KEPT = 64;

    /** One hazard: kind, file pages, the two sides, how often it happened, unsynced pages a truncate discarded. */
    static final class Entry {
        final HazardKind kind;
        final Event first;
        final Event second;
        long start;
        long end;
        long count;
        long discardedPages;

        Entry(HazardKind kind, long start, long end, Event first, Event second) {
            this.kind = kind;
            this.start = start;
            this.end = end;
            this.first = first;
            this.second = second;
        }

        boolean sameBug(HazardKind k, Event a, Event b) {
            return kind == k && sameSite(first, a) && sameSite(second, b);
        }

        private static boolean sameSite(Event x, Event y) {
            return x == null ? y == null : y != null && x.operation.equals(y.operation)
                    && Objects.equals(x.site, y.site);
        }

        Entry copy() {
            Entry c = new Entry(kind, start, end, first, second);
            c.count = count;
            c.discardedPages = discardedPages;
            return c;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    /** The last truncate of the file: the other side of a store beyond end of file (H2). */
    private Event lastTruncate;
    /** Whether a truncate left a live mapping reaching beyond the file's end. */
    private boolean beyondEofMappings;

    void add(String path, HazardKind kind, long start, long end, Event first, Event second, long discardedPages) {
        Entry entry = null;
        for (Entry e : entries) {
            if (e.sameBug(kind, first, second)) {
                entry = e;
                break;
            }
        }
        if (entry == null && entries.size() < KEPT) {
            entries.add(entry = new Entry(kind, start, end, first, second));
        }
        if (entry != null) {
            entry.start = Math.min(entry.start, start);
            entry.end = Math.max(entry.end, end);
            entry.count++;
            entry.discardedPages += discardedPages;
        }
        HazardRecordedEvent event = new HazardRecordedEvent();
        if (event.isEnabled()) {
            event.code = kind.code();
            event.kind = kind.name();
            event.file = path;
            event.start = start << Pages.PAGE_SHIFT;
            event.end = end << Pages.PAGE_SHIFT;
            event.first = describe(first);
            event.second = describe(second);
            event.commit();
        }
    }

    /**
     * A truncate to page {@code firstGone} happened; {@code live} is the live mapping that still reaches furthest
     * beyond it, or null. With one, H1: any access there faults (SIGBUS), and the truncate discarded
     * {@code discarded} unsynced pages.
     */
    void truncated(String path, Event truncate, long firstGone, Vma live, long discarded) {
        lastTruncate = truncate;
        if (live != null) {
            beyondEofMappings = true;
            add(path, HazardKind.TRUNCATE_UNDER_MAPPING, firstGone, live.pgoffEnd(), live.mapped, truncate, discarded);
        }
    }

    /** H2: a store to page {@code pgoff}, beyond end of file, against the last truncate. */
    void storeBeyondEof(String path, long pgoff, Event store) {
        add(path, HazardKind.STORE_BEYOND_EOF, pgoff, pgoff + 1, lastTruncate, store, 0);
    }

    boolean beyondEofMappings() {
        return beyondEofMappings;
    }

    /**
     * H4: a fault on file pages {@code [start, end)} by {@code store} that had to wait for another thread's fault
     * which allocated the block raced a first touch (seed 003). Returns how many such faults it waited for; each is
     * a data-loss hazard under the 2015 generic zeroing on DAX ({@code zeroingHazard}), and only counted otherwise.
     */
    int firstTouches(String path, long start, long end, List<RangeLock.Holder> waitedFor, Event store,
                     boolean zeroingHazard) {
        int raced = 0;
        for (RangeLock.Holder other : waitedFor) {
            if (other.allocatedBlock && other.operation.equals("fault")) {
                raced++;
                if (zeroingHazard) {
                    add(path, HazardKind.CONCURRENT_FIRST_TOUCH, start, end,
                            new Event("first touch", other.site, other.thread.getName(), 0),
                            new Event("first touch", store.site, store.thread, store.nanos), 0);
                }
            }
        }
        return raced;
    }

    /**
     * H7: a DIRTY PMD entry that straddled a truncate's new end was deleted without writeback; {@code below} are its
     * stored pages below the new end. Those that the program stored and no force has covered yet will be flushed by
     * no later msync or fsync: there is no entry left to write back (the data truth still credits a later covering
     * force, which is what the program did; the hazard says what the kernel does with it). The range is the pages
     * stored, not the entry: never wider than what the program did.
     */
    void truncateDropsUnwritten(String path, Iterable<StoredPage> below, Event truncate) {
        Event oldest = null;
        long from = Long.MAX_VALUE;
        long to = -1;
        for (StoredPage p : below) {
            if (p.dirty) {
                oldest = oldest == null || p.first.nanos < oldest.nanos ? p.first : oldest;
                from = Math.min(from, p.pgoff);
                to = Math.max(to, p.pgoff + 1);
            }
        }
        if (oldest != null) {
            add(path, HazardKind.TRUNCATE_DROPS_UNWRITTEN_ENTRY, from, to, oldest, truncate, 0);
        }
    }

    List<Entry> copy() {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.copy());
        }
        return out;
    }

    private static String describe(Event e) {
        return e == null ? null : e.operation + " on " + e.thread + " at " + e.site;
    }
}
