package dev.daxaudit.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A mapping was unmapped while pages stored through it were unsynced and no other mapping covers them. */
@Name("dev.daxaudit.UnsyncedAtUnmap")
@Label("Unsynced Data At Unmap")
@Category({"dax-audit"})
@Description("Unmap of a mapping whose stores were never made durable")
@StackTrace(true)
public final class UnsyncedUnmapEvent extends jdk.jfr.Event {
    @Label("File")
    public String file;

    @Label("Unsynced Bytes")
    @DataAmount
    public long bytes;

    /** Commits one, if recorded. Not named commit: JFR gives a static method of that name a meaning of its own. */
    public static void emit(String file, long bytes) {
        UnsyncedUnmapEvent event = new UnsyncedUnmapEvent();
        if (event.isEnabled()) {
            event.file = file;
            event.bytes = bytes;
            event.commit();
        }
    }
}
