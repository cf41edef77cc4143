package dev.daxaudit.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A file was mapped (MappedByteBuffer or MemorySegment). */
@Name("dev.daxaudit.Map")
@Label("Mapped File")
@Category({"dax-audit"})
@Description("A file was mapped into memory through FileChannel.map")
@StackTrace(true)
public final class MapEvent extends jdk.jfr.Event {
    @Label("File")
    public String file;

    @Label("Mode")
    public String mode;

    @Label("File Offset")
    @DataAmount
    public long offset;

    @Label("Length")
    @DataAmount
    public long length;

    @Label("Tracker")
    @Description("What reports stores into this mapping: bytecode (store hooks) or kernel (userfaultfd + PAGEMAP_SCAN)")
    public String tracker;
}
