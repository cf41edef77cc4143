package dev.daxaudit.tools.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.tools.crash.CrashJournalReader.NamespaceOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sets of pending namespace operations a crash can keep under posix: ordered only where they share something. */
class OpOrdersTest {
    private static NamespaceOp create(int index, String path, int file) {
        return new NamespaceOp(index, 'C', path, null, null, "main", 100 + file, index, false, file, -1);
    }

    private static NamespaceOp rename(int index, String from, String to, int file) {
        return new NamespaceOp(index, 'R', from, to, null, "main", -1, index, false, file, -1);
    }

    private static Set<String> sets(List<NamespaceOp> ops) {
        Set<String> out = new HashSet<>();
        for (boolean[] set : OpOrders.posix(ops)) {
            out.add(Arrays.toString(set));
        }
        return out;
    }

    @Test
    void operationsInTwoDirectoriesPersistInEitherOrder() {
        List<NamespaceOp> ops = List.of(create(0, "/r/segments/seg.dat", 0), create(1, "/r/meta/MANIFEST", 1));
        assertEquals(Set.of("[false, false]", "[true, false]", "[false, true]", "[true, true]"), sets(ops));
    }

    @Test
    void operationsInOneDirectoryOrOnOneFileKeepTheirOrder() {
        List<NamespaceOp> sameDirectory = List.of(create(0, "/r/seg.tmp", 0), create(1, "/r/manifest", 1));
        assertEquals(Set.of("[false, false]", "[true, false]", "[true, true]"), sets(sameDirectory));
        // seg.tmp created in one directory and renamed into another: the rename needs the creation.
        List<NamespaceOp> sameFile = List.of(create(0, "/r/tmp/seg", 0), rename(1, "/r/tmp/seg", "/r/data/seg", 0),
                create(2, "/r/meta/MANIFEST", 1));
        Set<String> got = sets(sameFile);
        assertTrue(got.contains("[false, false, true]"), got.toString());
        assertTrue(got.stream().noneMatch(s -> s.startsWith("[false, true")), got.toString());
        assertEquals(6, got.size(), got.toString());
    }

    @Test
    void manyUnorderedOperationsGiveThePrefixesAndEachOneOvertakingThem() {
        List<NamespaceOp> ops = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ops.add(create(i, "/r/d" + i + "/f", i)); // 4,096 sets: more than are listed
        }
        Set<String> got = sets(ops);
        assertTrue(got.size() <= 1 + 12 + 12 * 13 / 2, got.toString());
        boolean[] onlyTheLast = new boolean[12];
        onlyTheLast[11] = true;
        assertTrue(got.contains(Arrays.toString(onlyTheLast)));
        assertTrue(got.contains(Arrays.toString(OpOrders.prefix(12, 12))));
        // A chain that must stay in order still does where the sets are not all listed.
        ops.set(5, rename(5, "/r/d4/f", "/r/d5/f", 4));
        for (boolean[] set : OpOrders.posix(ops)) {
            assertTrue(!set[5] || set[4], Arrays.toString(set));
        }
    }
}
