package dev.genpipe.api.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genpipe.api.pool.PoolState;
import dev.genpipe.api.pool.WorkerPool;
import dev.genpipe.common.pool.WorkerStatus;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code GET /api/health}, in the original app's shape (its fields {@code components.api} as a string,
 * {@code components.google_ai}, {@code circuit_breaker.state} and {@code failure_count} keep their names and types; what
 * GenPipe adds is in new fields), and every rule that makes it. The API itself answers, so it
 * is healthy; Kafka is the only component without which nothing works (unhealthy → 503); everything the workers
 * report is at worst degraded, and unknown while no worker is alive.
 */
record HealthReport(Level status, Instant timestamp, String instance, Components components) {

    static final String UNKNOWN = "unknown";

    /**
     * @param api      this API instance's level (a string, as in the original app; which instance: {@link #instance})
     * @param googleAi the original app's name of the Gemini component: its level
     */
    record Components(Level api, Kafka kafka, Gemini gemini, @JsonProperty("google_ai") Level googleAi,
                      CacheSummary cache, @JsonProperty("circuit_breaker") Breaker circuitBreaker) {

        Stream<Level> levels() {
            return Stream.of(api, kafka.status(), gemini.status(), cache.status(), circuitBreaker.status());
        }
    }

    record Kafka(Level status, String detail) {
    }

    /** @param mode {@code gemini-api}, {@code offline-stand-in} (what most live workers call), or {@code unknown} */
    record Gemini(Level status, String mode, String model) {
    }

    /**
     * @param state        the pool's breaker state ({@link PoolState})
     * @param workers      live workers
     * @param failureCount failed calls in the live workers' breaker windows (the original app's consecutive-failure
     *                     count: with the default window, the two are the same)
     */
    record Breaker(Level status, String state, int workers, @JsonProperty("failure_count") int failureCount) {
    }

    /**
     * The rules.
     *
     * @param instance this API instance's id
     * @param kafka    the latest broker check
     * @param pool     the live workers; null when this instance has not read the job state yet
     */
    static HealthReport of(String instance, KafkaCheck.Result kafka, WorkerPool.Snapshot pool, Instant now) {
        Kafka kafkaComponent = !kafka.reachable() ? new Kafka(Level.UNHEALTHY, kafka.detail())
                : pool == null ? new Kafka(Level.UNHEALTHY, "job state is not loaded yet (reading Kafka)")
                : new Kafka(Level.HEALTHY, kafka.detail());
        List<WorkerStatus> workers = pool == null ? List.of() : pool.workers();
        PoolState state = pool == null ? PoolState.UNKNOWN : pool.state();
        Level breaker = switch (state) {
            case UNKNOWN -> Level.UNKNOWN;
            case CLOSED -> Level.HEALTHY;
            case OPEN, HALF_OPEN, DEGRADED -> Level.DEGRADED;
        };
        Components components = new Components(
                Level.HEALTHY,
                kafkaComponent,
                new Gemini(breaker, CacheSummary.majority(workers, WorkerStatus::gemini, UNKNOWN),
                        CacheSummary.majority(workers, WorkerStatus::model, null)),
                breaker,
                CacheSummary.of(workers),
                new Breaker(breaker, state.json(), workers.size(),
                        workers.stream().mapToInt(WorkerStatus::failedCalls).sum()));
        return new HealthReport(overall(components), now, instance, components);
    }

    private static Level overall(Components components) {
        if (components.kafka().status() == Level.UNHEALTHY) {
            return Level.UNHEALTHY;
        }
        return components.levels().allMatch(level -> level == Level.HEALTHY) ? Level.HEALTHY : Level.DEGRADED;
    }
}
