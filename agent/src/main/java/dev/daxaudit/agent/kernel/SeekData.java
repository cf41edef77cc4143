package dev.daxaudit.agent.kernel;

import dev.daxaudit.core.FileExtents;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * {@link FileExtents} through {@code lseek(2)}: {@code SEEK_DATA} finds the next offset that may hold data,
 * {@code SEEK_HOLE} the end of it, until {@code ENXIO} (no data past the offset). A descriptor of its own, opened
 * {@code O_RDONLY|O_CLOEXEC} and closed before returning: the JDK's descriptors are not reachable, and moving
 * their offset would move the application's.
 */
public final class SeekData implements FileExtents {
    private static final int SEEK_END = 2;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final long O_RDONLY = 0;
    private static final long O_CLOEXEC = 0x80000;
    private static final int ENXIO = 6;

    private static final MethodHandle OPEN = UffdPageTracker.downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle LSEEK = UffdPageTracker.downcall("lseek",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = UffdPageTracker.downcall("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** Called by the agent through the module layer that gives this class native access. */
    public static SeekData create() {
        return new SeekData();
    }

    @Override
    public long[] data(String path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(UffdPageTracker.CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("open " + path + ": errno " + (int) UffdPageTracker.ERRNO.get(state, 0L));
            }
            try {
                return ranges(fd, state);
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** The data ranges of {@code fd}; null where lseek fails otherwise than with ENXIO (the caller reads it all). */
    private static long[] ranges(int fd, MemorySegment state) throws Throwable {
        long size = (long) LSEEK.invokeExact(state, fd, 0L, SEEK_END);
        if (size < 0) {
            return null;
        }
        long[] ranges = new long[8];
        int n = 0;
        for (long at = 0; at < size; ) {
            long data = (long) LSEEK.invokeExact(state, fd, at, SEEK_DATA);
            if (data < 0) {
                if ((int) UffdPageTracker.ERRNO.get(state, 0L) == ENXIO) {
                    break; // holes to the end
                }
                return null;
            }
            long hole = (long) LSEEK.invokeExact(state, fd, data, SEEK_HOLE);
            if (hole < 0) {
                return null;
            }
            if (n == ranges.length) {
                ranges = Arrays.copyOf(ranges, 2 * n);
            }
            ranges[n++] = data;
            ranges[n++] = Math.min(hole, size);
            at = hole;
        }
        return Arrays.copyOf(ranges, n);
    }
}
