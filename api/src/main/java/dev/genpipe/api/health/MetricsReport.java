package dev.genpipe.api.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genpipe.api.pool.PoolState;
import dev.genpipe.api.pool.WorkerPool;
import dev.genpipe.common.job.JobType;
import dev.genpipe.common.pool.WorkerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/metrics}: the original app's JSON summary. {@code jobs} counts what this API instance saw since it
 * started (Prometheus adds the instances up); the rest is the live workers' latest heartbeats.
 */
record MetricsReport(Instant timestamp, Jobs jobs, CacheSummary cache,
                     @JsonProperty("circuit_breaker") Breaker circuitBreaker, Workers workers) {

    /** @param submitted accepted jobs per type, every type listed */
    record Jobs(Map<String, Long> submitted, long sseConnections) {
    }

    @Schema(name = "MetricsBreaker") // the API description's names are simple names: HealthReport has a Breaker
    record Breaker(String state, List<Worker> workers) {
    }

    /** @param failureRate percent over the breaker's window, one decimal; -1 while it has too few calls */
    @Schema(name = "MetricsWorker") // and the pool's state a Worker
    record Worker(String workerId, String state, double failureRate, boolean paused, long pausedTotalMs,
                  int inFlight) {

        static Worker of(WorkerStatus status) {
            float rate = status.failureRate();
            return new Worker(status.workerId(), PoolState.normalize(status.breakerState()).toLowerCase(Locale.ROOT),
                    rate < 0 ? -1 : Math.round(rate * 10.0) / 10.0, status.paused(),
                    status.pausedTotal() == null ? 0 : status.pausedTotal().toMillis(), status.inFlight());
        }
    }

    /** @param live workers with a recent heartbeat; {@code inFlight} and {@code maxInFlight} summed over them */
    record Workers(int live, long inFlight, long maxInFlight) {
    }

    /** @param pool the live workers; null while the worker status store is not ready */
    static MetricsReport of(MeterRegistry registry, WorkerPool.Snapshot pool, Instant now) {
        List<WorkerStatus> workers = pool == null ? List.of() : pool.workers();
        return new MetricsReport(now,
                new Jobs(submitted(registry), sseConnections(registry)),
                CacheSummary.of(workers),
                new Breaker((pool == null ? PoolState.UNKNOWN : pool.state()).json(),
                        workers.stream().map(Worker::of).toList()),
                new Workers(workers.size(), workers.stream().mapToLong(WorkerStatus::inFlight).sum(),
                        workers.stream().mapToLong(WorkerStatus::maxInFlight).sum()));
    }

    private static Map<String, Long> submitted(MeterRegistry registry) {
        Map<String, Long> byType = new LinkedHashMap<>();
        for (JobType type : JobType.values()) {
            byType.put(type.name(), 0L);
        }
        for (Counter counter : registry.find("genpipe.jobs.submitted").counters()) {
            String type = counter.getId().getTag("type");
            if (type != null) {
                byType.merge(type, (long) counter.count(), Long::sum);
            }
        }
        return byType;
    }

    private static long sseConnections(MeterRegistry registry) {
        Gauge gauge = registry.find("genpipe.sse.connections").gauge();
        return gauge == null ? 0 : (long) gauge.value();
    }
}
