package dev.daxaudit.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A force or fsync, from the start of writeback to the return of the real flush. */
@Name("dev.daxaudit.Writeback")
@Label("Mapped Writeback")
@Category({"dax-audit"})
@Description("A force of a mapping (msync or cache-line flush) or an fsync of a mapped file")
@StackTrace(true)
public final class WritebackEvent extends jdk.jfr.Event {
    @Label("File")
    public String file;

    @Label("Kind")
    @Description("MSYNC, CACHE_FLUSH or FSYNC")
    public String kind;

    @Label("Bytes Flushed")
    @Description("Bytes of dirty entries written back, whole PMD entries included")
    @DataAmount
    public long bytesFlushed;

    @Label("Completed")
    public boolean completed;
}
