package dev.daxaudit.samples;

import dev.daxaudit.api.DaxAudit;
import java.io.FileOutputStream;

/**
 * Ends the machine at a named place, for the guest's crash checks ({@code GuestCrashIT}): with
 * {@code -Dcrashlog.guestCrash=<place>}, {@link #at} marks a crash point ({@code guest-crash}, so the crash journal
 * says where the crash came) and then reboots the kernel at once through sysrq {@code b}, which writes nothing back:
 * what the files hold after the next boot is what a power cut there leaves. With
 * {@code -Dcrashlog.guestCrashAfterMillis=N} it waits N ms after the mark first, so that the kernel's own writeback
 * and journal commits (when the guest lets them run) persist what is pending. Without the property, nothing.
 */
final class GuestCrash {
    private GuestCrash() {
    }

    static void at(String place) throws Exception {
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
}
