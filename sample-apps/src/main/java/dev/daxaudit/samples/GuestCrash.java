package dev.daxaudit.samples;

import dev.daxaudit.api.DaxAudit;
import java.io.FileOutputStream;

/**
 * Ends the machine at a named place, for the guest's crash checks ({@code GuestCrashIT}): with
 * {@code -Dcrashlog.guestCrash=<place>}, {@link #at} marks a crash point ({@code guest-crash}, so the crash journal
 * says where the crash came) and then reboots the kernel at once through sysrq {@code b}, which writes nothing back:
 * what the files hold after the next boot is what a power cut there leaves. Without the property, nothing.
 */
final class GuestCrash {
    private GuestCrash() {
    }

    static void at(String place) throws Exception {
        if (!place.equals(System.getProperty("crashlog.guestCrash"))) {
            return;
        }
        DaxAudit.crashPoint("guest-crash");
        try (FileOutputStream sysrq = new FileOutputStream("/proc/sysrq-trigger")) {
            sysrq.write('b');
        }
        Thread.sleep(60_000);
        throw new IllegalStateException("sysrq b did not reboot the machine");
    }
}
