package dev.daxaudit.agent;

import dev.daxaudit.core.FaultSymbols;
import dev.daxaudit.core.report.Site;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.DynamicMBean;
import javax.management.ObjectName;

/**
 * Names sampled store faults: the compiled method from the JVM's own code map (the {@code Compiler.perfmap}
 * diagnostic command, which writes each compiled method's code range as {@code perf} reads it), and the thread
 * from the kernel's task name (which HotSpot sets to the Java thread's name, cut to 15 characters).
 *
 * <p>The map is dumped again only when a sample misses it and the sample is newer than the dump: code that ran at
 * a given time was in the code cache then, so a dump taken after it lists it unless it was freed since. Files are
 * read with {@link FileInputStream}, never a {@code FileChannel}, whose close the agent hooks: this runs while the
 * engine collects.
 */
final class CompiledCodeSymbols implements FaultSymbols {
    private static final String OPERATION = "compilerPerfmap";
    private static final String[] SIGNATURE = {String[].class.getName()};

    private final Instrumentation inst;
    private final int mainTid;
    private final String mainName;
    private long[] starts = new long[0];
    private long[] ends = new long[0];
    private Site[] methods = new Site[0];
    private long dumpedAt = Long.MIN_VALUE;
    private DynamicMBean diagnosticCommands;
    private ObjectName platformName;

    /** For the calling thread, whose kernel name is the launcher's ("java"), its Java name is kept. */
    CompiledCodeSymbols(Instrumentation inst) {
        this.inst = inst;
        this.mainTid = currentTid();
        this.mainName = Thread.currentThread().getName();
    }

    @Override
    public synchronized Site method(long ip, long nanos) {
        Site site = lookup(ip);
        if (site == null && dumpedAt < nanos) {
            dump();
            site = lookup(ip);
        }
        return site;
    }

    @Override
    public String thread(int tid) {
        if (tid == mainTid) {
            return mainName;
        }
        try (FileInputStream in = new FileInputStream("/proc/self/task/" + tid + "/comm")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "(thread " + tid + ", ended)";
        }
    }

    private Site lookup(long ip) {
        int i = Arrays.binarySearch(starts, ip);
        int at = i >= 0 ? i : -i - 2;
        return at >= 0 && ip < ends[at] ? methods[at] : null;
    }

    /** Dumps the code map into a file of the agent's and reads it; on any failure the map stays as it was. */
    private void dump() {
        dumpedAt = System.nanoTime();
        File map = null;
        try {
            map = File.createTempFile("dax-audit-perfmap", ".map");
            invoke(new String[] {map.getPath()});
            read(map);
        } catch (Throwable t) {
            // An unknown method is what the report then says: the sample still gives the thread.
        } finally {
            if (map != null && !map.delete()) {
                map.deleteOnExit();
            }
        }
    }

    /** {@code Compiler.perfmap <file>} without starting the platform MBean server where the JDK allows it. */
    private void invoke(String[] arguments) throws Exception {
        if (diagnosticCommands == null && platformName == null) {
            try {
                Module management = ManagementFactory.class.getModule();
                inst.redefineModule(management, Set.of(), Map.of("sun.management",
                        Set.of(CompiledCodeSymbols.class.getModule())), Map.of(), Set.of(), Map.of());
                diagnosticCommands = (DynamicMBean) Class.forName("sun.management.ManagementFactoryHelper")
                        .getMethod("getDiagnosticCommandMBean").invoke(null);
            } catch (Throwable t) {
                platformName = new ObjectName("com.sun.management:type=DiagnosticCommand");
            }
        }
        Object[] params = {arguments};
        if (diagnosticCommands != null) {
            diagnosticCommands.invoke(OPERATION, params, SIGNATURE);
        } else {
            ManagementFactory.getPlatformMBeanServer().invoke(platformName, OPERATION, params, SIGNATURE);
        }
    }

    /** Lines {@code 0xSTART 0xSIZE <return type> <class>.<method>(<parameters>)}; stubs have no parentheses. */
    private void read(File map) throws IOException {
        String text;
        try (FileInputStream in = new FileInputStream(map)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<long[]> ranges = new ArrayList<>();
        List<Site> sites = new ArrayList<>();
        for (String line : text.split("\n")) {
            int first = line.indexOf(' ');
            int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
            int paren = line.indexOf('(', second + 1);
            if (second < 0 || paren < 0 || !line.startsWith("0x")) {
                continue;
            }
            int nameStart = line.lastIndexOf(' ', paren) + 1;
            int dot = line.lastIndexOf('.', paren);
            if (dot < nameStart) {
                continue;
            }
            long start = Long.parseUnsignedLong(line.substring(2, first), 16);
            long size = Long.parseUnsignedLong(line.substring(first + 3, second), 16);
            ranges.add(new long[] {start, start + size});
            sites.add(new Site(line.substring(nameStart, dot), line.substring(dot + 1, paren), null, -1));
        }
        // Sorted by start, each entry placed by binary search (no comparator lambda: this runs while a java.base
        // hook collects); two code blobs never share a start.
        long[] newStarts = new long[ranges.size()];
        for (int i = 0; i < newStarts.length; i++) {
            newStarts[i] = ranges.get(i)[0];
        }
        Arrays.sort(newStarts);
        long[] newEnds = new long[newStarts.length];
        Site[] newMethods = new Site[newStarts.length];
        for (int i = 0; i < newStarts.length; i++) {
            int at = Arrays.binarySearch(newStarts, ranges.get(i)[0]);
            newEnds[at] = ranges.get(i)[1];
            newMethods[at] = sites.get(i);
        }
        starts = newStarts;
        ends = newEnds;
        methods = newMethods;
    }

    /** The kernel's id of the calling thread ({@code /proc/thread-self} links to {@code <pid>/task/<tid>}). */
    private static int currentTid() {
        try {
            return Integer.parseInt(java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName()
                    .toString());
        } catch (Exception e) {
            return -1;
        }
    }
}
