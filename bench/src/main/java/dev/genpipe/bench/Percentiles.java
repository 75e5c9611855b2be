package dev.genpipe.bench;

import java.util.Arrays;
import java.util.Collection;

/** p50, p95, p99 and max of a set of values (nearest rank); all NaN when there are none. */
record Percentiles(int count, double p50, double p95, double p99, double max) {

    static final Percentiles NONE = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static Percentiles of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static Percentiles of(double[] values) {
        if (values.length == 0) {
            return NONE;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    Percentiles minus(double value) {
        return count == 0 ? this : new Percentiles(count, p50 - value, p95 - value, p99 - value, max - value);
    }

    boolean present() {
        return count > 0;
    }
}
