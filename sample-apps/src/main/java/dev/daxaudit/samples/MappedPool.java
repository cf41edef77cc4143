package dev.daxaudit.samples;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** The JDK's "mapped" buffer pool: how samples that leave unmapping to the GC know that it happened. */
final class MappedPool {
    private MappedPool() {
    }

    /** Runs the GC until no mapping is left, for at most 20 s; true if they were all unmapped. */
    static boolean awaitAllUnmapped() throws InterruptedException {
        BufferPoolMXBean pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("mapped")).findFirst().orElseThrow();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (pool.getCount() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20); // polling the pool, not ordering threads: the cleaner runs when it runs
        }
        return pool.getCount() == 0;
    }
}
