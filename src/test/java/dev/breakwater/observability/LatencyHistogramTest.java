package dev.breakwater.observability;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The dashboard's quantiles follow Prometheus' histogram_quantile, so both show the same p99. */
class LatencyHistogramTest {
    private static final double[] BOUNDS = {0.01, 0.1, 1};

    @Test
    void quantileInterpolatesLinearlyInsideTheBucketHoldingTheRank() {
        // 100 requests: 50 under 10 ms, 40 more under 100 ms, 10 more under 1 s
        DashboardHistory.Histogram histogram = new DashboardHistory.Histogram(BOUNDS, new double[] {50, 90, 100}, 100);

        assertEquals(0.01, histogram.quantile(0.5), 1e-9);
        assertEquals(0.01 + (0.1 - 0.01) * (75 - 50) / 40.0, histogram.quantile(0.75), 1e-9);
        assertEquals(0.1 + (1 - 0.1) * (99 - 90) / 10.0, histogram.quantile(0.99), 1e-9);
    }

    @Test
    void rankAboveTheLastBoundIsTheLastBoundAndNoTrafficIsNoValue() {
        DashboardHistory.Histogram slow = new DashboardHistory.Histogram(BOUNDS, new double[] {0, 0, 10}, 20);

        assertEquals(1, slow.quantile(0.99));
        assertNull(new DashboardHistory.Histogram(BOUNDS, new double[] {0, 0, 0}, 0).quantile(0.99));
    }

    @Test
    void windowIsTheDifferenceOfTwoCumulativeSnapshots() {
        DashboardHistory.Histogram earlier = new DashboardHistory.Histogram(BOUNDS, new double[] {50, 90, 100}, 100);
        DashboardHistory.Histogram later = new DashboardHistory.Histogram(BOUNDS, new double[] {50, 90, 200}, 200);

        // the last 100 requests all took between 100 ms and 1 s
        assertEquals(0.1 + 0.9 * 0.5, later.minus(earlier).quantile(0.5), 1e-9);
    }
}
