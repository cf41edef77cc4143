package dev.daxaudit.core;

import static dev.daxaudit.core.EngineFixture.BASE;
import static dev.daxaudit.core.EngineFixture.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scalar fast path the agent uses for stores of 1 to 8 bytes, at every edge of a mapping and a page. */
class ScalarStoreTest {

    private static void put(EngineFixture f, long address, int length) {
        f.engine.vmaTable().storeScalar(address, length, true);
    }

    @Test
    void firstStoreFaultsLaterStoresDoNot() throws Exception {
        EngineFixture f = new EngineFixture("storedBytes=true");
        f.map(BASE, 4, 0);
        put(f, BASE + 8, 8);
        put(f, BASE + 16, 4);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
        assertEquals(1, f.report().files().get(0).faults());
        assertEquals(12, f.report().files().get(0).bytesStored());
    }

    @Test
    void storeCrossingAPageBoundaryDirtiesBothPages() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        put(f, BASE + 2 * PAGE - 3, 8);
        assertEquals(List.of(PAGE, 3 * PAGE), f.unsyncedRanges());
        put(f, BASE + PAGE, 8); // page 1 was made writable by the crossing store
        assertEquals(2, f.report().files().get(0).faults());
    }

    @Test
    void crossingStoreIntoAWritablePageStillFaultsTheNextPage() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        put(f, BASE, 8); // page 0 writable, cached
        put(f, BASE + PAGE - 4, 8); // page 0 writable, page 1 not
        assertEquals(List.of(0L, 2 * PAGE), f.unsyncedRanges());
    }

    @Test
    void lastBytesOfAMappingAreInsideIt() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        put(f, BASE, 1); // caches the mapping
        put(f, BASE + 4 * PAGE - 8, 8);
        put(f, BASE + 4 * PAGE - 1, 1);
        assertEquals(List.of(0L, PAGE, 3 * PAGE, 4 * PAGE), f.unsyncedRanges());
    }

    @Test
    void storesJustOutsideTheCachedMappingAreNotCountedInIt() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        put(f, BASE, 1);
        put(f, BASE - 4, 4);
        put(f, BASE + 4 * PAGE, 8);
        assertEquals(List.of(0L, PAGE), f.unsyncedRanges());
    }

    @Test
    void storeSpanningTheEndOfOneMappingAndTheStartOfTheNext() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 2, 0);
        f.map(new FileId(8, 77), MappingMode.READ_WRITE, BASE + 2 * PAGE, 2, 0);
        put(f, BASE, 1);
        put(f, BASE + 2 * PAGE - 4, 8);
        assertEquals(2, f.report().findings().size());
    }

    @Test
    void alternatingBetweenMappingsFindsEachOne() throws Exception {
        EngineFixture f = new EngineFixture();
        FileId other = new FileId(8, 77);
        f.map(BASE, 2, 0);
        f.map(other, MappingMode.READ_WRITE, BASE + 0x100_0000L, 2, 0);
        for (int i = 0; i < 4; i++) {
            put(f, BASE + (i % 2) * PAGE, 8);
            put(f, BASE + 0x100_0000L + (i % 2) * PAGE, 8);
        }
        assertEquals(2, f.report().findings().size());
        assertEquals(List.of(0L, 2 * PAGE), List.of(f.report().findings().get(0).ranges().get(0).start(),
                f.report().findings().get(0).ranges().get(0).end()));
    }

    @Test
    void nothingMappedRejectsEverything() throws Exception {
        EngineFixture f = new EngineFixture();
        put(f, 0, 8);
        put(f, -8, 8);
        put(f, BASE, 8);
        assertTrue(f.report().files().isEmpty());
        assertEquals(0, f.engine.errors().count());
    }

    /**
     * A store's slow-path lookup finds mapping A; before it caches A, another thread unmaps A and maps file C at the
     * same addresses. A must not stay cached: the next store, into C, would be taken for A's (its page already
     * stored into) and C's page never recorded.
     */
    @Test
    void aMappingUnmappedDuringALookupIsNotCachedOverItsSuccessor() throws Exception {
        EngineFixture f = new EngineFixture();
        f.map(BASE, 4, 0);
        FileId other = new FileId(8, 77);
        f.map(other, MappingMode.READ_WRITE, BASE + 8 * PAGE, 4, 0);
        put(f, BASE + 8 * PAGE, 8); // caches the other mapping
        FileId successor = new FileId(8, 99);
        boolean[] once = {true};
        f.engine.vmaTable().afterLookup(() -> {
            if (once[0]) {
                once[0] = false;
                f.engine.unmap(BASE);
                f.map(successor, MappingMode.READ_WRITE, BASE, 4, 0);
            }
        });
        put(f, BASE, 8); // into the first mapping: recorded for it; the race runs before the cache update
        put(f, BASE + 16, 8); // into the successor, same page
        List<String> files = f.report().findings().stream().map(Finding::file).sorted().toList();
        assertEquals(List.of("/data/file-1234", "/data/file-77", "/data/file-99"), files);
    }
}
