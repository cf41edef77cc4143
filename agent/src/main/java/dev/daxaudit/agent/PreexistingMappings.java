package dev.daxaudit.agent;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the JDK lets an agent that attaches late know of the mappings already made: the "mapped" buffer pool's
 * count and total size. Not their addresses or files, so they cannot be adopted; the report says so.
 */
final class PreexistingMappings {
    private PreexistingMappings() {
    }

    static long count() {
        BufferPoolMXBean pool = pool();
        return pool == null ? -1 : pool.getCount();
    }

    static long bytes() {
        BufferPoolMXBean pool = pool();
        return pool == null ? -1 : pool.getTotalCapacity();
    }

    private static BufferPoolMXBean pool() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("mapped")) {
                return pool;
            }
        }
        return null;
    }
}
