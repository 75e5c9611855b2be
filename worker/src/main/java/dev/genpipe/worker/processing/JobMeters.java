package dev.genpipe.worker.processing;

import dev.genpipe.common.job.JobType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's job meters, each built once: per job a meter is a field or map lookup, not a registry lookup that
 * builds an id and hashes its tags.
 */
final class JobMeters {

    private final MeterRegistry registry;
    private final Map<JobType, Timer> queueWait = new EnumMap<>(JobType.class);
    private final Map<JobType, Timer> succeededIn = new EnumMap<>(JobType.class);
    private final Map<JobType, Timer> failedIn = new EnumMap<>(JobType.class);
    private final Map<JobType, Counter> succeeded = new EnumMap<>(JobType.class);
    private final Map<JobType, Counter> succeededCached = new EnumMap<>(JobType.class);
    private final Map<JobType, Counter> failed = new EnumMap<>(JobType.class);
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Timer> calls = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> tokens = new ConcurrentHashMap<>();
    private final String model;

    JobMeters(MeterRegistry registry, String model) {
        this.registry = registry;
        this.model = model;
        for (JobType type : JobType.values()) {
            queueWait.put(type, Timer.builder("genpipe.jobs.queue.wait")
                    .description("from accepted to its first start in a worker").tag("type", type.name())
                    .publishPercentileHistogram().register(registry));
            succeededIn.put(type, duration(type, "succeeded"));
            failedIn.put(type, duration(type, "failed"));
            succeeded.put(type, completed(type, "succeeded", false));
            succeededCached.put(type, completed(type, "succeeded", true));
            failed.put(type, completed(type, "failed", false));
        }
    }

    private Timer duration(JobType type, String outcome) {
        return Timer.builder("genpipe.jobs.duration").description("from accepted to its terminal event")
                .tags("type", type.name(), "outcome", outcome).publishPercentileHistogram().register(registry);
    }

    private Counter completed(JobType type, String outcome, boolean cached) {
        return Counter.builder("genpipe.jobs.completed").tags("type", type.name(), "outcome", outcome,
                "cached", String.valueOf(cached)).register(registry);
    }

    void queued(JobType type, Duration waited) {
        queueWait.get(type).record(waited);
    }

    void succeeded(JobType type, boolean cached, Duration took) {
        succeededIn.get(type).record(took);
        (cached ? succeededCached : succeeded).get(type).increment();
    }

    void failed(JobType type, Duration took) {
        failedIn.get(type).record(took);
        failed.get(type).increment();
    }

    void retried(String code) {
        retries.computeIfAbsent(code, c -> registry.counter("genpipe.jobs.retries", "code", c)).increment();
    }

    Timer call(String outcome) {
        return calls.computeIfAbsent(outcome, o -> registry.timer("genpipe.gemini.calls", "model", model,
                "outcome", o));
    }

    void tokens(String answeredBy, long input, long output) {
        Counter[] pair = tokens.computeIfAbsent(answeredBy, m -> new Counter[] {
                registry.counter("genpipe.gemini.tokens", "model", m, "direction", "input"),
                registry.counter("genpipe.gemini.tokens", "model", m, "direction", "output")});
        pair[0].increment(input);
        pair[1].increment(output);
    }
}
