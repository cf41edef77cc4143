package dev.daxaudit.it;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real fs-dax kernel in a QEMU guest (software emulation), prepared and booted by the project's own
 * {@code dax-vm/} scripts from Debian packages: emulated pmem mounted {@code -o dax} (ext4), the host's JDKs and
 * the agent jar seen read-only over 9p. One boot runs every program given, each with the {@code fs_dax}
 * tracepoints enabled around it, and leaves per program its output, the agent's report and the kernel's trace.
 * Where the guest cannot be had (no apt, no QEMU), the tests are skipped with the reason; with
 * {@code DAX_VM_REQUIRED=true} (set by {@code .ci/run}) they fail instead.
 */
final class DaxGuest {
    static final Path VM_DIR = Paths.get(System.getProperty("dax.vm.dir", "../dax-vm")).toAbsolutePath().normalize();
    private static final Path HOST = Paths.get("/host");

    /** A program to run in the guest: a name, and its command line (host paths; the guest sees them under /host). */
    record Program(String name, Jdk jdk, String sample, String... args) {
    }

    final String kernelVersion;
    final Path out;
    final String guestLog;

    private DaxGuest(String kernelVersion, Path out, String guestLog) {
        this.kernelVersion = kernelVersion;
        this.out = out;
        this.guestLog = guestLog;
    }

    /**
     * Prepares the guest with the kernel of {@code suite} (the machine's own suites when null), boots it once, and
     * runs {@code programs} in it, in order.
     */
    static DaxGuest run(String suite, Path work, List<Program> programs) throws IOException, InterruptedException {
        Map<String, String> prepared = prepare(suite);
        if (Boolean.getBoolean("dax.vm.reuse") && Files.exists(work.resolve("out/rc"))
                && Files.readString(work.resolve("out/rc")).trim().equals("0")) {
            // -Ddax.vm.reuse=true while working on the checks: the last boot's output, no new boot.
            return new DaxGuest(prepared.get("KVER"), work.resolve("out"), Files.readString(work.resolve("out/guest.log")));
        }
        Files.createDirectories(work.resolve("out"));
        Files.writeString(work.resolve("guest.sh"), script(programs), StandardCharsets.UTF_8);
        ProcessBuilder boot = new ProcessBuilder(VM_DIR.resolve("boot.sh").toString(), work.toString(),
                prepared.get("KERNEL"), prepared.get("INITRD"), "900").redirectErrorStream(true);
        Process process = boot.start();
        String bootOutput = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(960, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("dax-vm: boot.sh did not return");
        }
        Path log = work.resolve("out/guest.log");
        String guestLog = Files.exists(log) ? Files.readString(log) : "(no guest log)";
        if (process.exitValue() != 0) {
            Path console = work.resolve("out/console.log");
            throw new AssertionError("the guest failed (" + process.exitValue() + "): " + bootOutput + "\n" + guestLog
                    + "\nconsole:\n" + (Files.exists(console) ? tail(Files.readString(console), 4000) : "(none)"));
        }
        return new DaxGuest(prepared.get("KVER"), work.resolve("out"), guestLog);
    }

    /**
     * Boots the guest of the machine's own kernel once with {@code script} as its guest script and {@code disks} (raw
     * images) as {@code /dev/vda}, {@code /dev/vdb}, ...; returns the guest's log. The script's own status is the boot's: a script that ends
     * the machine on purpose writes {@code /share/out/rc} itself first.
     */
    static String boot(Path work, String script, Path... disks) throws IOException, InterruptedException {
        return boot(null, work, script, disks);
    }

    /**
     * The same, the guest's memory backed by the file {@code memory} (when not null): its emulated pmem keeps what
     * the guest stored there for the next boot with the same file, as a warm reboot keeps a {@code memmap=} region.
     */
    static String boot(Path memory, Path work, String script, Path... disks) throws IOException, InterruptedException {
        Map<String, String> prepared = prepare(null);
        Files.createDirectories(work.resolve("out"));
        Files.writeString(work.resolve("guest.sh"), script, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(VM_DIR.resolve("boot.sh").toString(), work.toString(),
                prepared.get("KERNEL"), prepared.get("INITRD"), "300"));
        for (Path disk : disks) {
            command.add(disk.toString());
        }
        ProcessBuilder boot = new ProcessBuilder(command).redirectErrorStream(true);
        if (memory != null) {
            boot.environment().put("DAX_VM_MEMORY", memory.toString());
        }
        Process process = boot.start();
        String bootOutput = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(360, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("dax-vm: boot.sh did not return");
        }
        Path log = work.resolve("out/guest.log");
        String guestLog = Files.exists(log) ? Files.readString(log) : "(no guest log)";
        if (process.exitValue() != 0) {
            Path console = work.resolve("out/console.log");
            throw new AssertionError("the guest failed (" + process.exitValue() + "): " + bootOutput + "\n" + guestLog
                    + "\nconsole:\n" + (Files.exists(console) ? tail(Files.readString(console), 4000) : "(none)"));
        }
        return guestLog;
    }

    /** A host path as the guest sees it (the host's / is under /host, its /usr also at /usr). */
    static String inGuest(Path hostPath) {
        return guestPath(hostPath);
    }

    /** The kernel version {@code suite} offers (the machine's own suites when null), prepared for a boot. */
    static String kernelVersion(String suite) throws IOException, InterruptedException {
        return prepare(suite).get("KVER");
    }

    /** The backports suite of the machine's Debian release (bookworm-backports on bookworm). */
    static String backportsSuite() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/etc/os-release"))) {
            if (line.startsWith("VERSION_CODENAME=") && line.length() > "VERSION_CODENAME=".length()) {
                return line.substring("VERSION_CODENAME=".length()).replace("\"", "") + "-backports";
            }
        }
        abort("no VERSION_CODENAME in /etc/os-release: the second kernel's suite is unknown; test skipped");
        return null;
    }

    private static Map<String, String> prepare(String suite) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(VM_DIR.resolve("prepare.sh").toString()));
        if (suite != null) {
            command.add(""); // the default cache
            command.add(suite);
        }
        Process prepare = new ProcessBuilder(command).start();
        String stdout = new String(prepare.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(prepare.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        prepare.waitFor();
        if (prepare.exitValue() != 0) {
            String why = "fs-dax guest unavailable: " + (stderr.isEmpty() ? "prepare.sh exited " + prepare.exitValue()
                    : stderr);
            if ("true".equals(System.getenv("DAX_VM_REQUIRED"))) {
                throw new AssertionError(why);
            }
            abort(why + ": guest tests skipped");
        }
        if (!stderr.isEmpty()) {
            System.err.println(stderr); // what it installed, and where apt's output went
        }
        Map<String, String> values = new HashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /**
     * Shell: go on to the next attempt only if the JVM died as emulation sometimes kills it (SIGILL 132, SIGTRAP 133
     * with no hs_err, SIGABRT after a crash 134, SIGSEGV 139); any other status, findings or failures included, is
     * the run's.
     */
    static final String EMULATION_FAULT_OR_BREAK = "case $status in 132|133|134|139) ;; *) break ;; esac;";

    /** The guest script: mount pmem with DAX, then each program between enabling and disabling the tracepoints. */
    private static String script(List<Program> programs) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\nexport PATH=/usr/bin:/usr/sbin HOME=/root\nset -u\n");
        s.append("echo \"kernel $(uname -r)\" > /share/out/kernel\n");
        // stride=512 (2 MiB in 4 KiB blocks): mballoc aligns allocations to 2 MiB on the device, as the pmem guides
        // advise for PMD faults; without it, whether a file gets PMD entries depends on earlier allocations.
        s.append("mkfs.ext4 -q -F -b 4096 -E stride=512,stripe-width=512 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 "
                + "/mnt/dax || { echo 'no dax mount'; exit 1; }\n");
        s.append("T=/sys/kernel/tracing\n");
        for (Program p : programs) {
            String dir = "/mnt/dax/" + p.name();
            s.append("echo 1 > $T/events/fs_dax/enable; echo 1 > $T/tracing_on\n");
            // Under software emulation a JVM now and then dies of SIGILL or SIGSEGV at the entry of fresh C1 code
            // (exit 134, hs_err file kept; one CI run saw 7 in about 90 runs, one program 3 times in a row), and once
            // of SIGSEGV with no hs_err at all (exit 139, after the program's last line): such a run is repeated, up
            // to six times, with a fresh directory and trace; each failed attempt's output is kept as .out.N.
            s.append("for attempt in 1 2 3 4 5 6; do rm -rf ").append(dir).append("; mkdir -p ").append(dir)
                    .append("; echo > $T/trace; (cd /tmp && ").append(p.jdk().java())
                    .append(" -XX:ErrorFile=/share/out/hs_err_%p.log")
                    .append(" -javaagent:").append(guestPath(SampleRun.AGENT_JAR))
                    // The hooks, whose faults happen at the store, as the kernel's own fs_dax events do.
                    .append("=tracking=bytecode,report=/share/out/").append(p.name()).append(".json")
                    .append(" -cp ").append(guestPath(SampleRun.SAMPLE_CLASSES))
                    .append(" dev.daxaudit.samples.").append(p.sample()).append(' ').append(dir);
            for (String arg : p.args()) {
                s.append(' ').append(arg);
            }
            String out = "/share/out/" + p.name();
            s.append(" > ").append(out).append(".out 2>&1); status=$?; ").append(EMULATION_FAULT_OR_BREAK)
                    .append(" cp ").append(out).append(".out ").append(out).append(".out.$attempt; ")
                    .append("done; echo $status > ").append(out).append(".status; echo $attempt > ").append(out)
                    .append(".attempts\n");
            s.append("echo 0 > $T/tracing_on; cp $T/trace /share/out/").append(p.name()).append(".trace\n");
        }
        s.append("umount /mnt/dax\n");
        return s.toString();
    }

    private static String guestPath(Path hostPath) {
        Path absolute = hostPath.toAbsolutePath().normalize();
        return absolute.startsWith("/usr") ? absolute.toString() : HOST + absolute.toString();
    }

    String output(String program) throws IOException {
        return Files.readString(out.resolve(program + ".out"));
    }

    /** How many times the program ran: more than one only after emulation faults (their outputs are kept). */
    int attempts(String program) throws IOException {
        return Integer.parseInt(Files.readString(out.resolve(program + ".attempts")).trim());
    }

    int status(String program) throws IOException {
        return Integer.parseInt(Files.readString(out.resolve(program + ".status")).trim());
    }

    Path report(String program) {
        return out.resolve(program + ".json");
    }

    /** The fs_dax events of the program's run, for the file with inode {@code inode}. */
    List<TraceEvent> trace(String program, long inode) throws IOException {
        List<TraceEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(program + ".trace"))) {
            TraceEvent e = TraceEvent.parse(line);
            if (e != null && e.inode() == inode) {
                events.add(e);
            }
        }
        return events;
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }
}
