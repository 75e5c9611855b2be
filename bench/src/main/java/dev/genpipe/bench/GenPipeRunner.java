package dev.genpipe.bench;

import java.time.Duration;

/**
 * One measured GenPipe run: open-loop load, each process's CPU and memory, and what it wrote to Kafka (records and
 * bytes of GenPipe's topics, offset commits) over the whole run, warm-up and drain included.
 */
record GenPipeRunner(BenchSettings settings, Stack stack, Resources resources, KafkaCounts kafka, GenPipeLoad load) {

    RunStats run(String runId, String label, double rate, int warmupS, int durationS) throws InterruptedException {
        stack.standIn().reset();
        stack.standIn().latency(Duration.ofMillis(settings.latencyMs()));
        Resources.Phase phase = resources.begin();
        KafkaCounts.Snapshot before = kafka.snapshot();
        RunTimings timings = load.run(runId, label, rate, warmupS, durationS, settings.drainTimeoutS());
        java.util.List<Resources.Usage> usage = phase.end();
        KafkaCounts.Written written = kafka.snapshot().since(before);
        return RunStats.of(timings, settings.latencyMs(), stack.standIn().calls(), stack.standIn().peakConcurrency(),
                usage, phase.machine(), written);
    }
}
