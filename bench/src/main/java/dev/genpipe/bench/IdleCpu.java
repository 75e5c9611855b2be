package dev.genpipe.bench;

import java.util.List;

/**
 * Each process's CPU while no job is offered at all (after priming, every backlog drained), as a share of one core.
 *
 * @param seconds the wall time measured
 * @param usage   each tracked process's CPU seconds in it
 */
record IdleCpu(double seconds, List<Resources.Usage> usage) {

    static IdleCpu measure(Resources resources, int seconds) throws InterruptedException {
        long began = System.nanoTime();
        Resources.Phase phase = resources.begin();
        Thread.sleep(seconds * 1000L);
        List<Resources.Usage> used = phase.end();
        return new IdleCpu((System.nanoTime() - began) / 1e9, used);
    }

    /** Percent of one core. */
    double percentOfCore(Resources.Usage use) {
        return 100 * use.cpuSeconds() / seconds;
    }

    /** Percent of one core of all GenPipe processes (API, workers, broker) together. */
    double genpipePercent() {
        return 100 * usage.stream().filter(u -> u.role() == Resources.Role.GENPIPE)
                .mapToDouble(Resources.Usage::cpuSeconds).sum() / seconds;
    }
}
