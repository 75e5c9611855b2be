package dev.genpipe.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one load run. Jobs counted are those that arrived in the measured window; achieved throughput is
 * the number of completions (of any job of the run) that fell into the window, divided by its length.
 *
 * @param submit     send → 202 (GenPipe) or {@code queue.add} resolved (BullMQ), ms
 * @param endToEnd   send → completion notification, ms
 * @param overhead   end-to-end − L, ms
 * @param lag        how late the load generator sent requests after their scheduled arrival, ms
 * @param lost       accepted, and no terminal event by the end of the drain (GenPipe: none on Kafka either)
 * @param unnotified GenPipe: a terminal event is on Kafka, but the client's SSE stream did not deliver it in time
 * @param twice      jobs completed more than once
 * @param extraCalls Gemini calls beyond one per job started in the run (stand-in count − jobs)
 */
record RunStats(String system, String load, double offered, double achieved, int arrived, int accepted,
                int submitErrors, int completed, int failed, int lost, int unnotified, int twice, Percentiles submit,
                Percentiles endToEnd, Percentiles overhead, Percentiles lag, int standInCalls, int extraCalls,
                int standInPeakConcurrency, List<Resources.Usage> usage, int jobsInRun, int completedInRun,
                Breakdown breakdown, Resources.MachineLoad machine, KafkaCounts.Written kafka) {

    /** Where GenPipe's end-to-end time goes, from the events' own timestamps (median and p99 per stage, ms). */
    record Breakdown(Percentiles toQueued, Percentiles queuedToStarted, Percentiles startedToSucceeded,
                     Percentiles succeededToNotified) {
    }

    static RunStats of(RunTimings run, int latencyMs, int standInCalls, int standInPeak, List<Resources.Usage> usage,
                       Resources.MachineLoad machine, KafkaCounts.Written kafka) {
        int arrived = 0;
        int accepted = 0;
        int submitErrors = 0;
        int completed = 0;
        int failed = 0;
        int lost = 0;
        int unnotified = 0;
        int twice = 0;
        int inWindow = 0;
        int completedInRun = 0;
        List<Double> submit = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        List<Double> lag = new ArrayList<>();
        List<Double> toQueued = new ArrayList<>();
        List<Double> waiting = new ArrayList<>();
        List<Double> running = new ArrayList<>();
        List<Double> notifying = new ArrayList<>();
        for (JobTiming job : run.jobs()) {
            if (job.doneMs >= run.windowStartMs() && job.doneMs <= run.windowEndMs()) {
                inWindow++;
            }
            if (job.completed()) {
                completedInRun++;
            }
            if (!run.measured(job)) {
                continue;
            }
            arrived++;
            if (job.sentMs >= 0) {
                lag.add(job.sentMs - job.arrivalMs);
            }
            if (!job.accepted()) {
                submitErrors++;
                continue;
            }
            accepted++;
            submit.add(job.ackMs - job.sentMs);
            if (job.completions > 1) {
                twice++;
            }
            if (job.failed) {
                failed++;
            } else if (job.doneMs >= 0) {
                completed++;
                e2e.add(job.doneMs - job.sentMs);
                if (job.sentAtMicros > 0 && job.queuedAtMicros > 0 && job.startedAtMicros > 0
                        && job.succeededAtMicros > 0 && job.notifiedAtMicros > 0) {
                    toQueued.add((job.queuedAtMicros - job.sentAtMicros) / 1000.0);
                    waiting.add((job.startedAtMicros - job.queuedAtMicros) / 1000.0);
                    running.add((job.succeededAtMicros - job.startedAtMicros) / 1000.0);
                    notifying.add((job.notifiedAtMicros - job.succeededAtMicros) / 1000.0);
                }
            } else if (job.completedUnseen) {
                unnotified++;
            } else {
                lost++;
            }
        }
        Percentiles endToEnd = Percentiles.of(e2e);
        Breakdown breakdown = toQueued.isEmpty() ? null : new Breakdown(Percentiles.of(toQueued),
                Percentiles.of(waiting), Percentiles.of(running), Percentiles.of(notifying));
        int started = (int) run.jobs().stream().filter(JobTiming::accepted).count();
        return new RunStats(run.system(), run.load(), run.rate(), inWindow / run.durationS(), arrived, accepted,
                submitErrors, completed, failed, lost, unnotified, twice, Percentiles.of(submit), endToEnd,
                endToEnd.minus(latencyMs), Percentiles.of(lag), standInCalls, Math.max(0, standInCalls - started),
                standInPeak, List.copyOf(usage), run.jobs().size(), completedInRun, breakdown, machine, kafka);
    }

    /** CPU seconds that processes outside the benchmark used during the run (other work on the machine). */
    double outsideCpuSeconds() {
        return machine.outside(usage);
    }

    /** {@link #outsideCpuSeconds()} as a share of the machine's CPU capacity during the run. */
    double outsideShare() {
        return outsideCpuSeconds() / machine.capacitySeconds();
    }

    /** Achieved throughput as a fraction of the offered load. */
    double completionRatio() {
        return achieved / offered;
    }

    /** CPU milliseconds per completed job of the run, for a process. */
    double cpuMsPerJob(Resources.Usage use) {
        return cpuMsPerJob(use.cpuSeconds());
    }

    /** CPU milliseconds per completed job of the run, for the sum of some processes' CPU seconds. */
    double cpuMsPerJob(double cpuSeconds) {
        // per job means little when (almost) none completed
        return completedInRun < 10 ? Double.NaN : cpuSeconds * 1000.0 / completedInRun;
    }

    /** CPU seconds of the processes whose name starts with one of {@code prefixes}. */
    double cpuSeconds(String... prefixes) {
        return usage.stream().filter(u -> java.util.Arrays.stream(prefixes).anyMatch(u.name()::startsWith))
                .mapToDouble(Resources.Usage::cpuSeconds).sum();
    }

    /** Kafka records (or bytes, or offset commits) written per completed job of the run. */
    double perJob(long written) {
        return completedInRun == 0 || written < 0 ? Double.NaN : written / (double) completedInRun;
    }
}
