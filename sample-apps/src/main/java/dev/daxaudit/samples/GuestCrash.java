package dev.daxaudit.samples;

import dev.daxaudit.api.DaxAudit;
import java.io.FileOutputStream;

/**
 * Crash points for the guest's crash checks ({@code GuestCrashIT}), in two ways.
 * <ul>
 * <li>With {@code -Dcrashlog.guestCrash=<place>}, {@link #at} marks a crash point ({@code guest-crash}, so the crash
 *     journal says where the crash came) and then reboots the kernel at once through sysrq {@code b}, which writes
 *     nothing back: what the files hold after the next boot is what a power cut there leaves. With
 *     {@code -Dcrashlog.guestCrashAfterMillis=N} it waits N ms after the mark first, so that the kernel's own
 *     writeback and journal commits (when the guest lets them run) persist what is pending.</li>
 * <li>With {@code -Dcrashlog.logWrites=<device>} (a dm-log-writes target), {@link #at} and {@link #point} mark a
 *     crash point named for the place and insert a mark of the same name into the target's log
 *     ({@code dmsetup message <device> 0 mark <name>}), so that the log can be replayed to the disk as it was at that
 *     point, and to every flush in between.</li>
 * </ul>
 * Without either property, {@link #at} does nothing and {@link #point} only marks the crash point.
 */
final class GuestCrash {
    private GuestCrash() {
    }

    static void at(String place) throws Exception {
        if (System.getProperty("crashlog.logWrites") != null) {
            point(place);
            return;
        }
        if (!place.equals(System.getProperty("crashlog.guestCrash"))) {
            return;
        }
        DaxAudit.crashPoint("guest-crash");
        Thread.sleep(Long.getLong("crashlog.guestCrashAfterMillis", 0));
        try (FileOutputStream sysrq = new FileOutputStream("/proc/sysrq-trigger")) {
            sysrq.write('b');
        }
        Thread.sleep(60_000);
        throw new IllegalStateException("sysrq b did not reboot the machine");
    }

    /** A crash point named {@code name}; under dm-log-writes, a mark of that name in the block log too. */
    static void point(String name) throws Exception {
        DaxAudit.crashPoint(name);
        String device = System.getProperty("crashlog.logWrites");
        if (device == null) {
            return;
        }
        // The mark is queued behind every write the target has logged, so it follows the flush of the sync before.
        Process mark = new ProcessBuilder("dmsetup", "message", device, "0", "mark", name).inheritIO().start();
        if (mark.waitFor() != 0) {
            throw new IllegalStateException("dmsetup could not mark " + name + " on " + device);
        }
    }
}
