package dev.daxaudit.core;

import dev.daxaudit.core.report.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The mappings ever made of one file, grouped by file range, mode and the site that mapped them, with how many were
 * made and how many are still live: a log that remaps a 1 MiB window a thousand times is one line of the report.
 * Guarded by the owning {@link AddressSpace}.
 */
final class MappingHistory {
    /** One group of mappings, frozen for a report. */
    static final class Record {
        final long pgoff;
        final long pgoffEnd;
        final MappingMode mode;
        final Event mapped;
        final long count;
        final long live;

        Record(long pgoff, long pgoffEnd, MappingMode mode, Event mapped, long count, long live) {
            this.pgoff = pgoff;
            this.pgoffEnd = pgoffEnd;
            this.mode = mode;
            this.mapped = mapped;
            this.count = count;
            this.live = live;
        }
    }

    private static final class Key {
        final long pgoff;
        final long pgoffEnd;
        final MappingMode mode;
        final Site site;
        final String thread;

        Key(Vma vma) {
            pgoff = vma.pgoff;
            pgoffEnd = vma.pgoffEnd();
            mode = vma.mode;
            site = vma.mapped.site;
            thread = vma.mapped.thread;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return pgoff == k.pgoff && pgoffEnd == k.pgoffEnd && mode == k.mode && site.equals(k.site)
                    && Objects.equals(thread, k.thread);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(pgoff) * 31 + Long.hashCode(pgoffEnd)) * 31 + site.hashCode();
        }
    }

    /** The mappings of one key: the first one's event, how many there were and how many are live. */
    private static final class Group {
        final Event first;
        long mapped;
        long live;

        Group(Event first) {
            this.first = first;
        }
    }

    private final Map<Key, Group> groups = new LinkedHashMap<>();

    void mapped(Vma vma) {
        Group g = groups.computeIfAbsent(new Key(vma), k -> new Group(vma.mapped));
        g.mapped++;
        g.live++;
    }

    void unmapped(Vma vma) {
        Group g = groups.get(new Key(vma));
        if (g != null) {
            g.live--;
        }
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    List<Record> copy() {
        List<Record> out = new ArrayList<>(groups.size());
        for (Map.Entry<Key, Group> e : groups.entrySet()) {
            Key k = e.getKey();
            Group g = e.getValue();
            out.add(new Record(k.pgoff, k.pgoffEnd, k.mode, g.first, g.mapped, g.live));
        }
        return out;
    }
}
