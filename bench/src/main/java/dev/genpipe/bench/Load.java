package dev.genpipe.bench;

import java.util.Locale;

/**
 * One offered load: a multiple of C/L ({@code 0.8}) or an absolute rate ({@code 50/s}).
 *
 * @param value    the multiple of C/L, or jobs per second when {@code absolute}
 * @param absolute whether {@code value} is jobs per second
 */
record Load(double value, boolean absolute) {

    Load {
        if (!(value > 0) || (!absolute && value > 10) || (absolute && value > 5_000)) {
            throw new IllegalArgumentException("a load is a multiple of C/L in (0, 10] or a rate in (0, 5000] jobs/s: "
                    + value);
        }
    }

    /** {@code 0.8} (× C/L) or {@code 50/s}. */
    static Load parse(String text) {
        String t = text.strip();
        return t.endsWith("/s") ? new Load(Double.parseDouble(t.substring(0, t.length() - 2).strip()), true)
                : new Load(Double.parseDouble(t), false);
    }

    static Load factor(double multiple) {
        return new Load(multiple, false);
    }

    /** Jobs per second, given C/L. */
    double rate(double capacityPerSecond) {
        return absolute ? value : value * capacityPerSecond;
    }

    /** As the report's rows name it: {@code 0.8 × C/L} or {@code 50 jobs/s}. */
    String label() {
        return absolute ? String.format(Locale.ROOT, "%.0f jobs/s", value)
                : String.format(Locale.ROOT, "%.1f × C/L", value);
    }
}
