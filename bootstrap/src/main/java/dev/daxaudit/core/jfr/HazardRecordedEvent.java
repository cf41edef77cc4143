package dev.daxaudit.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A race hazard, when it happened, with both sides. */
@Name("dev.daxaudit.Hazard")
@Label("Mapped File Hazard")
@Category({"dax-audit"})
@Description("A race hazard on a mapped file (H1 to H4; H5 and H6 are decided at the report)")
@StackTrace(true)
public final class HazardRecordedEvent extends jdk.jfr.Event {
    @Label("Code")
    public String code;

    @Label("Kind")
    public String kind;

    @Label("File")
    public String file;

    @Label("Start Offset")
    public long start;

    @Label("End Offset")
    public long end;

    @Label("First Side")
    public String first;

    @Label("Second Side")
    public String second;
}
