package dev.daxaudit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;
import org.junit.jupiter.api.Test;

/** A file's latencies give the report the percentiles its own histogram would, few or many. */
class LatenciesTest {
    private static void sameAsAHistogram(int values) {
        Latencies latencies = new Latencies();
        AbstractHistogram expected = new IntCountsHistogram(2);
        for (int i = 0; i < values; i++) {
            long micros = 37L * i * i + 5;
            latencies.record(micros);
            expected.recordValue(micros);
        }
        AbstractHistogram got = latencies.histogram();
        assertEquals(expected.getTotalCount(), got.getTotalCount(), values + " values");
        for (double p : new double[] {0, 50, 90, 99, 100}) {
            assertEquals(expected.getValueAtPercentile(p), got.getValueAtPercentile(p), values + " values, p" + p);
        }
        Histogram all = new Histogram(3);
        latencies.addTo(all);
        assertEquals(values, all.getTotalCount());
        assertEquals(expected.getMaxValue(), all.getMaxValue(), values * 0.01 * expected.getMaxValue() + 1);
    }

    @Test
    void fewValuesAndManyGiveTheSamePercentiles() {
        for (int values : new int[] {1, 2, 3, 8, 9, 100}) {
            sameAsAHistogram(values);
        }
    }

    @Test
    void aCopyDoesNotMoveWithTheOriginal() {
        Latencies latencies = new Latencies();
        latencies.record(10);
        Latencies copy = latencies.copy();
        for (int i = 0; i < 20; i++) {
            latencies.record(1000);
        }
        assertEquals(1, copy.histogram().getTotalCount());
        assertEquals(21, latencies.histogram().getTotalCount());
    }
}
