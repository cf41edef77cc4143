package dev.daxaudit.core.report;

import java.util.List;

/**
 * A latency distribution recorded with HdrHistogram: how many values, the usual percentiles in milliseconds, and
 * the percentile curve for plotting.
 */
public record Distribution(long count, double p50Millis, double p90Millis, double p99Millis, double maxMillis,
                           List<Point> percentiles) {
    /** One point of the percentile curve: {@code percentile}% of the values were at most {@code millis}. */
    public record Point(double percentile, double millis) {
    }
}
