package dev.daxaudit.core.report;

import java.util.List;
import java.util.Map;

/**
 * The whole report: findings first (what a CI gate reads), then per-file detail, the agent's own health and
 * what the agent cannot see. {@code workingDirectory} is the audited JVM's, so {@code diff} can compare file paths
 * relative to it; {@code excludedFiles} names the first {@value #EXCLUDED_LISTED} of the {@code excludedFileCount} mapped
 * files the include/exclude globs kept out. {@code trackerChoice} says why {@code tracking=auto} chose {@code tracker}
 * (null when the options named the tracker, or in reports before it).
 */
public record AuditReport(int schemaVersion, String toolVersion, String reason, String jvm,
                          String workingDirectory, Map<String, String> options, List<String> excludedFiles,
                          long excludedFileCount,
                          List<Finding> findings,
                          List<Hazard> hazards, Distribution syncLag, Distribution writebackLatency,
                          List<FileSummary> files, long internalErrors, List<String> internalErrorSamples,
                          List<String> hookedTypes, boolean memorySegments, String tracker, String trackerChoice,
                          LateAttach lateAttach,
                          List<String> blindSpots, Detail detail) {
    public static final int SCHEMA_VERSION = 2;
    /** Excluded files named in the report; the summary counts them all. */
    public static final int EXCLUDED_LISTED = 20;

    /** Stores that escape every bytecode hook, stated in every report so no one reads coverage into silence. */
    public static final List<String> BLIND_SPOTS = List.of(
            "stores through JNI, or through jdk.internal.misc.Unsafe reached by reflection, to raw addresses of a mapping",
            "memory mapped natively (JNI, or mmap called through the FFM Linker)",
            "scattering reads (FileChannel.read(ByteBuffer[])) and Inflater/Deflater output into a mapping",
            "truncation by other processes or by opening the file with O_TRUNC",
            "RandomAccessFile.setLength and FileDescriptor.sync called through reflection or method handles");

    /**
     * With {@code tracking=kernel} the kernel sees every store, whatever wrote it (Unsafe, JNI and reads included),
     * but not who made it or when exactly.
     */
    public static final List<String> KERNEL_TRACKER_BLIND_SPOTS = List.of(
            "the code sites and threads of stores (the kernel reports pages: findings name the mapping's site)",
            "stores racing a force, first touches racing each other (H4) and stores beyond end of file (H2): the "
                    + "kernel reports a written page at the next force, fsync, unmap, truncate or report, not when",
            "MAP_SYNC cache lines: a page written through a MAP_SYNC mapping counts as stored in all its lines",
            "memory mapped natively (JNI, or mmap called through the FFM Linker)",
            "truncation by other processes or by opening the file with O_TRUNC",
            "RandomAccessFile.setLength and FileDescriptor.sync called through reflection or method handles");

    /** What the tracker that ran cannot see; with sampled write faults, stores have methods and threads. */
    public static List<String> blindSpots(String tracker, boolean faultsSampled) {
        if (!tracker.equals("kernel")) {
            return BLIND_SPOTS;
        }
        if (!faultsSampled) {
            return KERNEL_TRACKER_BLIND_SPOTS;
        }
        List<String> spots = new java.util.ArrayList<>(KERNEL_TRACKER_BLIND_SPOTS);
        spots.set(0, "the source lines of stores (sampled write faults name the compiled method and the thread; "
                + "stores in interpreted or JVM code, and faults the kernel throttled or lost, name the mapping's site)");
        return List.copyOf(spots);
    }

    /**
     * The agent attached to a running JVM ({@code dax-audit attach}): mappings that already existed, as the JDK's
     * "mapped" buffer pool counts them (-1 if unknown). Their files and addresses are not known; stores into them
     * are not audited.
     */
    public record LateAttach(long preexistingMappings, long preexistingBytes) {
    }

    /**
     * The {@code memory=} budget for per-file detail and the files summarised past it: their counters, findings
     * and hazards are exact; their mapping history, page map and own latency distributions are not kept (their
     * latencies count in the report's totals).
     */
    public record Detail(long budgetBytes, long summarisedFiles) {
    }

    /** Mapped files that were not audited (memory-only filesystems). */
    public long unauditedFiles() {
        long n = 0;
        for (FileSummary f : files) {
            if (!f.storage().audited()) {
                n++;
            }
        }
        return n;
    }

    public long unsyncedPages() {
        long n = 0;
        for (Finding f : findings) {
            n += f.pages();
        }
        return n;
    }
}
