package dev.daxaudit.agent.kernel;

import dev.daxaudit.core.PageWriteTracker;
import dev.daxaudit.core.StoreFault;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Written pages from the kernel, through the FFM API (JDK 22+; no native library): a userfaultfd in
 * write-protect mode with {@code UFFD_FEATURE_WP_ASYNC}, which lets the kernel resolve write faults itself and
 * remember the page as written (no fault messages, no handler thread), and the {@code PAGEMAP_SCAN} ioctl on
 * {@code /proc/self/pagemap} with {@code PM_SCAN_WP_MATCHING}, which returns the written pages and write-protects
 * them again in one call. Linux 6.7 or later. Loaded in a module of its own that alone is given native access
 * ({@link KernelTrackerLoader}); never loaded on JDK 17.
 */
public final class UffdPageTracker implements PageWriteTracker {
    private static final long O_RDONLY = 0;
    private static final long O_NONBLOCK = 0x800;
    private static final long O_CLOEXEC = 0x80000;
    /** Handle only faults from user mode: what {@code vm.unprivileged_userfaultfd=0} still allows. */
    private static final long UFFD_USER_MODE_ONLY = 1;
    private static final long UFFD_API = 0xAA;
    private static final long UFFD_FEATURE_WP_UNPOPULATED = 1L << 13;
    private static final long UFFD_FEATURE_WP_ASYNC = 1L << 15;
    /* _IOWR(0xAA, nr, size): direction 3 << 30, size << 16, type << 8, nr. */
    private static final long UFFDIO_API = 0xC018AA3FL;
    private static final long UFFDIO_REGISTER = 0xC020AA00L;
    private static final long UFFDIO_WRITEPROTECT = 0xC018AA06L;
    private static final long UFFDIO_REGISTER_MODE_WP = 2;
    private static final long UFFDIO_WRITEPROTECT_MODE_WP = 1;
    /* _IOWR('f', 16, struct pm_scan_arg) with the 96-byte struct of 12 u64 fields. */
    private static final long PAGEMAP_SCAN = 0xC0606610L;
    private static final long PM_SCAN_WP_MATCHING = 1;
    private static final long PM_SCAN_CHECK_WPASYNC = 2;
    private static final long PAGE_IS_WRITTEN = 1L << 1;
    private static final int REGIONS = 256;
    private static final int ENOSYS = 38;
    private static final int EPERM = 1;
    private static final int EINVAL = 22;
    private static final int ENOTTY = 25;

    private static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SYSCALL = downcall("syscall",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), 1);
    private static final MethodHandle IOCTL = downcall("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), 2);
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), 2);

    /** Faults sampled in tracked pages and not yet collected: at most this many pages (read faults linger). */
    private static final int MAX_FAULTS = 1 << 16;

    private final int uffd;
    private final int pagemap;
    /** Tracked ranges, start to end: a fault outside them (the heap, the JIT's code) is none of the tracker's. */
    private final ConcurrentSkipListMap<Long, Long> tracked = new ConcurrentSkipListMap<>();
    /** By page address, the fault sampled last in it; guarded by itself (mapping threads drain too). */
    private final TreeMap<Long, StoreFault> faults = new TreeMap<>();
    private final FaultsIntoPages intoPages = new FaultsIntoPages();
    /** Thread names the kernel reported as threads were named, by task id; guarded by {@link #faults}. */
    private final Map<Integer, String> threadNames = new java.util.HashMap<>();
    private static final int MAX_THREAD_NAMES = 1 << 16;
    private volatile PageFaultSampler sampler;

    private UffdPageTracker(int uffd, int pagemap) {
        this.uffd = uffd;
        this.pagemap = pagemap;
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return downcall(name, descriptor, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** A C library function that leaves errno in {@link #CALL_STATE}, for this package's FFM classes. */
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.captureCallState("errno");
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, all);
    }

    /**
     * Opens the userfaultfd and {@code /proc/self/pagemap} and checks that the kernel offers what the tracker
     * needs; throws {@link UnsupportedOperationException} with the reason, in a few words, where it does not.
     */
    public static UffdPageTracker open() throws Throwable {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        long syscallUserfaultfd = arch.equals("amd64") ? 323 : arch.equals("aarch64") ? 282 : -1;
        if (!os.equals("Linux") || syscallUserfaultfd < 0) {
            throw new UnsupportedOperationException("needs Linux on amd64 or aarch64, this is " + os + " on " + arch);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long fd = (long) SYSCALL.invokeExact(state, syscallUserfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
            if (fd < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new UnsupportedOperationException(errno == ENOSYS ? "no userfaultfd system call (seccomp?)"
                        : errno == EPERM ? "userfaultfd refused (EPERM: seccomp or vm.unprivileged_userfaultfd)"
                        : "userfaultfd failed (errno " + errno + ")");
            }
            MemorySegment api = arena.allocate(24);
            api.set(ValueLayout.JAVA_LONG, 0, UFFD_API);
            api.set(ValueLayout.JAVA_LONG, 8, UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED);
            if ((int) IOCTL.invokeExact(state, (int) fd, UFFDIO_API, api) != 0) {
                int errno = (int) ERRNO.get(state, 0L);
                close((int) fd);
                throw new UnsupportedOperationException(errno == EINVAL
                        ? "the kernel lacks userfaultfd WP_ASYNC (Linux 6.7+)" : "UFFDIO_API failed (errno " + errno + ")");
            }
            int pagemap = (int) OPEN.invokeExact(state, arena.allocateFrom("/proc/self/pagemap"), O_RDONLY | O_CLOEXEC);
            if (pagemap < 0) {
                close((int) fd);
                throw new UnsupportedOperationException("cannot open /proc/self/pagemap (errno "
                        + (int) ERRNO.get(state, 0L) + ")");
            }
            UffdPageTracker tracker = new UffdPageTracker((int) fd, pagemap);
            int found = tracker.scan(arena.allocate(96, 8), state, 0, 0, arena.allocate(24, 8), 1);
            if (found < 0) {
                int errno = -found;
                close((int) fd);
                close(pagemap);
                throw new UnsupportedOperationException(errno == ENOTTY || errno == EINVAL
                        ? "the kernel lacks the PAGEMAP_SCAN ioctl (Linux 6.7+)" : "PAGEMAP_SCAN failed (errno " + errno + ")");
            }
            return tracker;
        }
    }

    @Override
    public String sampleFaults() {
        try {
            sampler = PageFaultSampler.open();
            return null;
        } catch (UnsupportedOperationException e) {
            return e.getMessage();
        } catch (Throwable t) {
            return t.toString();
        }
    }

    @Override
    public StoreFault fault(long address) {
        synchronized (faults) {
            return faults.remove(address);
        }
    }

    /** Empties the rings into {@link #faults}, so that the JVM's own faults do not fill them while nothing collects. */
    private void drainFaults() {
        PageFaultSampler sampling = sampler;
        if (sampling != null) {
            synchronized (faults) {
                sampling.drain(intoPages);
            }
        }
    }

    @Override
    public void track(long address, long length) throws Throwable {
        drainFaults();
        tracked.put(address, address + length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            // struct uffdio_register {range, mode, ioctls} and struct uffdio_writeprotect {range, mode}
            uffdioctl(arena, state, UFFDIO_REGISTER, "UFFDIO_REGISTER", address, length, UFFDIO_REGISTER_MODE_WP, 0);
            uffdioctl(arena, state, UFFDIO_WRITEPROTECT, "UFFDIO_WRITEPROTECT", address, length,
                    UFFDIO_WRITEPROTECT_MODE_WP);
        }
    }

    /** An ioctl on the userfaultfd whose argument is a struct of these u64 fields; throws with errno on failure. */
    private void uffdioctl(Arena arena, MemorySegment state, long request, String name, long... fields)
            throws Throwable {
        MemorySegment arg = arena.allocate(8L * fields.length, 8);
        for (int i = 0; i < fields.length; i++) {
            arg.set(ValueLayout.JAVA_LONG, 8L * i, fields[i]);
        }
        if ((int) IOCTL.invokeExact(state, uffd, request, arg) != 0) {
            throw new IllegalStateException(name + " failed (errno " + (int) ERRNO.get(state, 0L) + ")");
        }
    }

    @Override
    public void collect(long address, long length, Runs written) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment regions = arena.allocate(24L * REGIONS, 8);
            MemorySegment arg = arena.allocate(96, 8);
            long end = address + length;
            long from = address;
            while (from < end) {
                int found = scan(arg, state, from, end, regions, REGIONS);
                if (found < 0) {
                    throw new IllegalStateException("PAGEMAP_SCAN failed (errno " + -found + ")");
                }
                drainFaults(); // every page this scan found written faulted before it: its sample is in a ring
                for (int i = 0; i < found; i++) {
                    written.written(regions.get(ValueLayout.JAVA_LONG, 24L * i),
                            regions.get(ValueLayout.JAVA_LONG, 24L * i + 8));
                }
                // The walk stops before the end only when the regions are full: go on from where it stopped.
                from = Math.max(arg.get(ValueLayout.JAVA_LONG, 32), from + 4096);
            }
            synchronized (faults) {
                faults.subMap(address, end).clear(); // faults of pages read, not written: their pages were collected
            }
        }
    }

    /** Keeps, per tracked page, the sample of its latest fault. */
    private final class FaultsIntoPages implements PageFaultSampler.Samples {
        @Override
        public void fault(long address, long ip, int tid, long nanos) {
            Map.Entry<Long, Long> range = tracked.floorEntry(address);
            if (range == null || address >= range.getValue()) {
                return;
            }
            long page = address & -4096L;
            StoreFault earlier = faults.get(page);
            if (earlier != null ? earlier.nanos() <= nanos : faults.size() < MAX_FAULTS) {
                faults.put(page, new StoreFault(ip, tid, threadNames.get(tid), nanos));
            }
        }

        @Override
        public void named(int tid, String name) {
            if (threadNames.size() < MAX_THREAD_NAMES || threadNames.containsKey(tid)) {
                threadNames.put(tid, name); // a task id reused by a new thread is renamed by it
            }
        }
    }

    /**
     * One {@code PAGEMAP_SCAN} of [start, end) for written pages, write-protecting them again: the number of
     * regions found, or minus errno. Where the walk ended is left in {@code arg}'s {@code walk_end}.
     */
    private int scan(MemorySegment arg, MemorySegment state, long start, long end, MemorySegment regions, int capacity)
            throws Throwable {
        long[] fields = {96, PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC, start, end, 0, regions.address(), capacity,
            0, 0, PAGE_IS_WRITTEN, 0, PAGE_IS_WRITTEN};
        for (int i = 0; i < fields.length; i++) {
            arg.set(ValueLayout.JAVA_LONG, 8L * i, fields[i]);
        }
        int n = (int) IOCTL.invokeExact(state, pagemap, PAGEMAP_SCAN, arg);
        return n < 0 ? -(int) ERRNO.get(state, 0L) : n;
    }

    private static void close(int fd) {
        try {
            MethodHandle close = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int ignored = (int) close.invokeExact(fd);
        } catch (Throwable ignored) {
            // the descriptor leaks; nothing else is at stake
        }
    }
}
