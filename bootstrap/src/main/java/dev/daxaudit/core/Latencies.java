package dev.daxaudit.core;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * One file's latencies, in microseconds. The first {@value #FEW} are kept as they are and a histogram (two
 * significant digits, int counts: about 4 KiB) is made only from the one after: most files of an application with
 * thousands of mappings are synced a few times or never, and a histogram per file made 100,000 mappings die of
 * OutOfMemoryError in a 256 MiB heap. The report sees the same percentiles either way ({@link #histogram()}).
 */
final class Latencies {
    private static final int FEW = 8;
    private long[] few = new long[2];
    private int count;
    private AbstractHistogram many;

    void record(long micros) {
        if (many != null) {
            many.recordValue(micros);
            return;
        }
        if (count == FEW) {
            grown().recordValue(micros);
            return;
        }
        if (count == few.length) {
            few = java.util.Arrays.copyOf(few, Math.min(FEW, 2 * count));
        }
        few[count++] = micros;
    }

    /** Whether the next value would make the histogram ({@link DetailBudget#HISTOGRAM_BYTES}). */
    boolean full() {
        return many == null && count == FEW;
    }

    /** Records every value into {@code into}. */
    void moveTo(Latencies into) {
        if (many != null) {
            into.grown().add(many);
            return;
        }
        for (int i = 0; i < count; i++) {
            into.record(few[i]);
        }
    }

    /** The histogram, made now from the few values if there is none yet. */
    private AbstractHistogram grown() {
        if (many == null) {
            many = fresh();
            for (int i = 0; i < count; i++) {
                many.recordValue(few[i]);
            }
            few = null;
        }
        return many;
    }

    static long histogramFootprint() {
        return fresh().getEstimatedFootprintInBytes();
    }

    Latencies copy() {
        Latencies c = new Latencies();
        c.few = few == null ? null : few.clone();
        c.count = count;
        c.many = many == null ? null : many.copy();
        return c;
    }

    /** Adds every value to {@code all} (the report's distribution over all files). */
    void addTo(AbstractHistogram all) {
        if (many != null) {
            all.add(many);
            return;
        }
        for (int i = 0; i < count; i++) {
            all.recordValue(few[i]);
        }
    }

    /** The values as a histogram: the file's own once they are many, else a new one for the report, not kept. */
    AbstractHistogram histogram() {
        if (many != null) {
            return many;
        }
        AbstractHistogram h = fresh();
        for (int i = 0; i < count; i++) {
            h.recordValue(few[i]);
        }
        return h;
    }

    /** Two significant digits (1% resolution, plenty for a percentile in milliseconds); the totals keep three. */
    private static AbstractHistogram fresh() {
        return new IntCountsHistogram(2);
    }
}
