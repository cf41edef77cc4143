package dev.daxaudit.samples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A heap still full when the program ends: the log of {@link UnforcedLog} (three pages never forced), then the heap
 * filled with arrays that stay reachable until {@code args[1]} KiB are left, and a normal return from main. The exit report has to
 * be built and written in whatever memory is left: the application's own exit status is 0.
 */
public final class FullHeapAtExit {
    /** Reachable to the end, through the class: the heap is full while the shutdown hooks run. */
    static final List<Object> HOG = new ArrayList<>();
    /**
     * The log, reachable to the end too: no cleaner unmaps it while the heap fills (the JDK's first munmap under a
     * full heap can fail by itself: linking its native method allocates a String).
     */
    static MappedLog log;

    private FullHeapAtExit() {
    }

    public static void main(String[] args) throws Exception {
        log = new MappedLog(Path.of(args[0], "unforced.log"), 64 * 1024);
        for (int i = 0; i < 100; i++) {
            log.append(MappedLog.record(i, 96));
        }
        System.out.println("filling the heap"); // nothing after it: on JDK 25 even a write of bytes allocates
        byte[] spare = new byte[Integer.parseInt(args[1]) * 1024];
        fill();
        spare = null; // what is left for the JVM's own exit, and the shutdown hooks
        if (args.length > 2 && args[2].equals("uncaught")) {
            HOG.add(new byte[64 << 20]); // ends main with an OutOfMemoryError, as a program that runs out does
        }
    }

    private static void fill() {
        int chunk = 1 << 20;
        while (chunk >= 64) {
            try {
                HOG.add(new byte[chunk]);
            } catch (OutOfMemoryError e) {
                chunk /= 2; // what is left is smaller than a chunk: fill it with smaller ones
            }
        }
    }
}
