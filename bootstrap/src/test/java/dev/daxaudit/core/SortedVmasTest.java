package dev.daxaudit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The in-place table answers as a sorted map of the same mappings does, over maps and unmaps in any order. */
class SortedVmasTest {
    private static final long PAGE = 4096;

    @Test
    void answersAsASortedMapOverRandomMapsAndUnmaps() {
        Random random = new Random(42);
        SortedVmas table = new SortedVmas();
        TreeMap<Long, Vma> reference = new TreeMap<>();
        List<Vma> live = new ArrayList<>();
        long top = 1L << 40;
        for (int step = 0; step < 20_000; step++) {
            if (live.isEmpty() || random.nextInt(3) > 0) {
                // mostly top-down, as mmap hands out addresses, sometimes anywhere free
                long start = random.nextBoolean() ? (top -= 4 * PAGE) : (1L << 30) + random.nextInt(1 << 20) * 8 * PAGE;
                long size = (1 + random.nextInt(3)) * PAGE;
                Map.Entry<Long, Vma> below = reference.floorEntry(start + size - 1);
                if (below != null && below.getValue().end() > start) {
                    continue; // overlaps a live one
                }
                Vma vma = new Vma(null, MappingMode.READ_WRITE, start, size, 0, null);
                table.insert(vma);
                reference.put(start, vma);
                live.add(vma);
            } else {
                Vma vma = live.remove(random.nextInt(live.size()));
                assertEquals(true, table.remove(vma));
                reference.remove(vma.start);
            }
            assertEquals(reference.size(), table.size());
            for (int probe = 0; probe < 4; probe++) {
                long address = live.isEmpty() || random.nextBoolean() ? random.nextLong() >>> 20
                        : live.get(random.nextInt(live.size())).start + random.nextInt(5) * PAGE - PAGE;
                Map.Entry<Long, Vma> e = reference.floorEntry(address);
                Vma expected = e != null && e.getValue().end() > address ? e.getValue() : null;
                assertSame(expected, table.within(address, address + 1), "address " + address);
                long end = address + 2 * PAGE;
                List<Vma> touched = new ArrayList<>();
                for (Vma v : reference.values()) {
                    if (v.start < end && v.end() > address) {
                        touched.add(v);
                    }
                }
                assertEquals(touched, table.touched(address, end).vmas());
            }
            assertEquals(reference.isEmpty() ? Long.MAX_VALUE : reference.firstKey(), table.lowest());
        }
        assertEquals(false, table.remove(new Vma(null, MappingMode.READ_WRITE, 0, PAGE, 0, null)));
    }
}
