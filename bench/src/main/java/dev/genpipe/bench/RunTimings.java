package dev.genpipe.bench;

import java.util.List;

/**
 * The raw result of one load run of one system.
 *
 * @param system        "GenPipe" or "BullMQ"
 * @param load          the offered load as the report names it (e.g. {@code 0.8 × C/L})
 * @param rate          arrivals per second
 * @param windowStartMs start of the measured window (the warm-up ends here)
 * @param windowEndMs   end of the measured window (the arrivals end here)
 * @param jobs          every job, warm-up included, in arrival order
 */
record RunTimings(String system, String load, double rate, double windowStartMs, double windowEndMs,
                  List<JobTiming> jobs) {

    boolean measured(JobTiming job) {
        return job.arrivalMs >= windowStartMs && job.arrivalMs < windowEndMs;
    }

    double durationS() {
        return (windowEndMs - windowStartMs) / 1000.0;
    }
}
