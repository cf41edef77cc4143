package dev.daxaudit.agent.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's page-fault software event ({@code PERF_COUNT_SW_PAGE_FAULTS}, sample period 1, user mode only),
 * sampled with the faulting instruction address, thread, time and data address, as {@code perf record -e
 * page-faults -c 1 -d} does. One event per CPU for the calling thread with {@code inherit}, so the threads it creates
 * from now on are sampled too (the kernel refuses to map the ring buffer of an inherited per-task event, so per CPU
 * is the only way, as {@code perf record} does it). The rings are read whenever the tracker tracks a new mapping or
 * collects written pages.
 *
 * <p>The kernel throttles a sampling event past {@code perf_event_max_sample_rate} per second (100,000 by default);
 * faults while it is throttled, and samples that find the ring buffer full, are not seen: their pages keep the
 * mapping's site.
 */
final class PageFaultSampler {
    private static final int PERF_TYPE_SOFTWARE = 1;
    private static final long PERF_COUNT_SW_PAGE_FAULTS = 2;
    private static final long PERF_SAMPLE_IP = 1;
    private static final long PERF_SAMPLE_TID = 1 << 1;
    private static final long PERF_SAMPLE_TIME = 1 << 2;
    private static final long PERF_SAMPLE_ADDR = 1 << 3;
    /* perf_event_attr flag bits: disabled 0, inherit 1, exclude_kernel 5, exclude_hv 6, comm 9, use_clockid 25. */
    private static final long INHERIT = 1L << 1;
    /** PERF_RECORD_COMM when a thread is named: HotSpot names each thread it starts after its Java name. */
    private static final long COMM = 1L << 9;
    private static final long EXCLUDE_KERNEL = 1L << 5;
    private static final long EXCLUDE_HV = 1L << 6;
    private static final long USE_CLOCKID = 1L << 25;
    private static final int CLOCK_MONOTONIC = 1;
    /* PERF_ATTR_SIZE_VER5: the struct up to sample_max_stack, clockid included. */
    private static final int ATTR_SIZE = 112;
    private static final int CLOCKID_OFFSET = 92;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;
    private static final int PERF_RECORD_COMM = 3;
    private static final int PERF_RECORD_SAMPLE = 9;
    private static final int PAGE = 4096;
    /**
     * Data pages per CPU: 256 KiB, 6,553 samples between two reads (the JVM's own first touches of its heap are
     * among them); half of what {@code perf_event_mlock_kb} (516 KiB per CPU) lets a user lock without privilege.
     */
    private static final int DATA_PAGES = 64;
    private static final long PROT_READ_WRITE = 3;
    private static final int MAP_SHARED = 1;

    private static final StructLayout CALL_STATE = UffdPageTracker.CALL_STATE;
    private static final VarHandle ERRNO = UffdPageTracker.ERRNO;
    /* syscall(2) reads every argument as a long; the kernel narrows pid, cpu and group_fd to int. */
    private static final MethodHandle SYSCALL = UffdPageTracker.downcall("syscall", FunctionDescriptor.of(
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle MMAP = UffdPageTracker.downcall("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG));
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** Receives each sample (the faulting address, instruction address, thread and time) and thread name. */
    interface Samples {
        void fault(long address, long ip, int tid, long nanos);

        /** Thread {@code tid} was given {@code name} (the kernel keeps 15 characters of it). */
        void named(int tid, String name);
    }

    private final List<MemorySegment> rings;

    private PageFaultSampler(List<MemorySegment> rings) {
        this.rings = rings;
    }

    /**
     * Starts sampling the calling thread and the threads it creates from now on; throws
     * {@link UnsupportedOperationException} with the kernel's reason, in a few words, where it refuses.
     */
    static PageFaultSampler open() throws Throwable {
        String arch = System.getProperty("os.arch", "");
        long perfEventOpen = arch.equals("amd64") ? 298 : arch.equals("aarch64") ? 241 : -1;
        if (perfEventOpen < 0) {
            throw new UnsupportedOperationException("perf events need amd64 or aarch64, this is " + arch);
        }
        List<Integer> cpus = possibleCpus();
        List<MemorySegment> rings = new ArrayList<>();
        Arena arena = Arena.global(); // the rings live as long as the JVM
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(CALL_STATE);
            MemorySegment attr = call.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, PERF_TYPE_SOFTWARE);
            attr.set(ValueLayout.JAVA_INT, 4, ATTR_SIZE);
            attr.set(ValueLayout.JAVA_LONG, 8, PERF_COUNT_SW_PAGE_FAULTS);
            attr.set(ValueLayout.JAVA_LONG, 16, 1); // sample_period: every fault
            attr.set(ValueLayout.JAVA_LONG, 24, PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR);
            attr.set(ValueLayout.JAVA_LONG, 40, INHERIT | EXCLUDE_KERNEL | EXCLUDE_HV | COMM | USE_CLOCKID);
            attr.set(ValueLayout.JAVA_INT, CLOCKID_OFFSET, CLOCK_MONOTONIC); // System.nanoTime's clock
            long bytes = (long) (DATA_PAGES + 1) * PAGE;
            for (int cpu : cpus) {
                // The fd stays open for the life of the JVM, as does the ring mapped from it.
                long fd = (long) SYSCALL.invokeExact(state, perfEventOpen, attr, 0L, (long) cpu, -1L,
                        PERF_FLAG_FD_CLOEXEC);
                if (fd < 0) {
                    int errno = (int) ERRNO.get(state, 0L);
                    if (errno == 19 && cpus.size() > 1) { // ENODEV: a possible CPU that is offline
                        continue;
                    }
                    throw new UnsupportedOperationException(errno == 13 || errno == 1
                            ? "perf events refused (kernel.perf_event_paranoid=" + paranoid() + ", or seccomp)"
                            : errno == 38 ? "no perf_event_open system call (seccomp?)"
                            : "perf_event_open failed (errno " + errno + ")");
                }
                MemorySegment ring = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, bytes,
                        (int) PROT_READ_WRITE, MAP_SHARED, (int) fd, 0L);
                if (ring.address() == -1L) {
                    throw new UnsupportedOperationException("cannot map a perf ring buffer (errno "
                            + (int) ERRNO.get(state, 0L) + ", kernel.perf_event_mlock_kb)");
                }
                rings.add(ring.reinterpret(bytes, arena, null));
            }
        }
        return new PageFaultSampler(rings);
    }

    /** Hands every sample the rings hold to {@code samples} and frees their space. */
    void drain(Samples samples) {
        for (MemorySegment ring : rings) {
            long head = (long) LONG.getAcquire(ring, 1024L); // data_head
            long tail = ring.get(ValueLayout.JAVA_LONG, 1032);
            long offset = ring.get(ValueLayout.JAVA_LONG, 1040);
            long size = ring.get(ValueLayout.JAVA_LONG, 1048);
            if (offset == 0) { // kernels before 4.1 leave them 0: the data pages follow the first
                offset = PAGE;
                size = (long) DATA_PAGES * PAGE;
            }
            while (tail < head) {
                long header = read(ring, offset, size, tail);
                int type = (int) header;
                int recordSize = (int) (header >>> 48);
                if (recordSize < 8) {
                    break; // cannot happen with a sane kernel; never loop
                }
                if (type == PERF_RECORD_SAMPLE) {
                    long ip = read(ring, offset, size, tail + 8);
                    int tid = (int) (read(ring, offset, size, tail + 16) >>> 32);
                    long nanos = read(ring, offset, size, tail + 24);
                    long address = read(ring, offset, size, tail + 32);
                    samples.fault(address, ip, tid, nanos);
                } else if (type == PERF_RECORD_COMM) {
                    samples.named((int) (read(ring, offset, size, tail + 8) >>> 32), comm(ring, offset, size, tail + 16,
                            recordSize - 16));
                } // PERF_RECORD_LOST and the rest: a page whose sample was lost keeps the mapping's site
                tail += recordSize;
            }
            LONG.setRelease(ring, 1032L, head); // data_tail: the kernel may overwrite up to here
        }
    }

    /** The NUL-terminated name at {@code position}, read byte by byte (a record may wrap around the ring's end). */
    private static String comm(MemorySegment ring, long offset, long size, long position, int max) {
        StringBuilder name = new StringBuilder(16);
        for (int i = 0; i < max; i++) {
            byte b = ring.get(ValueLayout.JAVA_BYTE, offset + ((position + i) & (size - 1)));
            if (b == 0) {
                break;
            }
            name.append((char) (b & 0xff));
        }
        return name.toString();
    }

    /** A u64 of the record stream at {@code position}; records are 8-byte aligned, so a u64 never wraps. */
    private static long read(MemorySegment ring, long offset, long size, long position) {
        return ring.get(ValueLayout.JAVA_LONG, offset + (position & (size - 1)));
    }

    private static List<Integer> possibleCpus() {
        List<Integer> cpus = new ArrayList<>();
        try {
            for (String part : Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim().split(",")) {
                int dash = part.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
                for (int cpu = from; cpu <= to; cpu++) {
                    cpus.add(cpu);
                }
            }
        } catch (Exception e) {
            cpus.clear();
            for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    private static String paranoid() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
