package dev.genpipe.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.api.pool.PoolState;
import dev.genpipe.api.pool.WorkerPool;
import dev.genpipe.common.kafka.GenPipeJson;
import dev.genpipe.common.pool.CacheStatus;
import dev.genpipe.common.pool.WorkerStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MetricsReportTest {

    static final Instant NOW = HealthReportTest.NOW;

    @Test
    void summarisesThisInstancesCountersAndTheLiveWorkers() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.counter("genpipe.jobs.submitted", "type", "SUBTOPICS").increment(3);
        AtomicInteger streams = new AtomicInteger(2);
        Gauge.builder("genpipe.sse.connections", streams, AtomicInteger::get).register(registry);
        WorkerStatus open = new WorkerStatus("w2", NOW, Duration.ofSeconds(5), "OPEN", NOW, 62.56f, true,
                Duration.ofMillis(1500), 0, 8, new CacheStatus("redis", true, "redis:6379", 1, 3, 10), "gemini-api",
                "m");
        WorkerStatus closed = new WorkerStatus("w1", NOW, Duration.ofSeconds(5), "CLOSED", NOW, -1f, false,
                Duration.ZERO, 5, 8, new CacheStatus("redis", true, "redis:6379", 2, 2, 10), "gemini-api", "m");

        MetricsReport report = MetricsReport.of(registry,
                new WorkerPool.Snapshot(PoolState.DEGRADED, List.of(closed, open), NOW), NOW);
        JsonNode json = GenPipeJson.mapper().valueToTree(report);

        assertThat(json.propertyNames()).containsExactly("timestamp", "jobs", "cache", "circuit_breaker", "workers");
        assertThat(json.at("/jobs/submitted/SUBTOPICS").asLong()).isEqualTo(3);
        assertThat(json.at("/jobs/submitted/EXPLANATION").asLong()).as("every type listed").isZero();
        assertThat(json.at("/jobs/sseConnections").asLong()).isEqualTo(2);
        assertThat(json.at("/cache/hits").asLong()).isEqualTo(3);
        assertThat(json.at("/cache/size").asLong()).isEqualTo(10);
        assertThat(json.at("/circuit_breaker/state").asString()).isEqualTo("degraded");
        assertThat(json.at("/circuit_breaker/workers/0/workerId").asString()).isEqualTo("w1");
        assertThat(json.at("/circuit_breaker/workers/0/failureRate").asDouble()).isEqualTo(-1);
        JsonNode w2 = json.at("/circuit_breaker/workers/1");
        assertThat(w2.get("state").asString()).isEqualTo("open");
        assertThat(w2.get("failureRate").asDouble()).isEqualTo(62.6);
        assertThat(w2.get("paused").asBoolean()).isTrue();
        assertThat(w2.get("pausedTotalMs").asLong()).isEqualTo(1500);
        assertThat(w2.get("inFlight").asInt()).isZero();
        assertThat(json.at("/workers/live").asInt()).isEqualTo(2);
        assertThat(json.at("/workers/inFlight").asLong()).isEqualTo(5);
        assertThat(json.at("/workers/maxInFlight").asLong()).isEqualTo(16);
    }

    @Test
    void showsAnEmptyPoolWhileTheWorkerStoreLoads() {
        MetricsReport report = MetricsReport.of(new SimpleMeterRegistry(), null, NOW);

        assertThat(report.circuitBreaker().state()).isEqualTo("unknown");
        assertThat(report.circuitBreaker().workers()).isEmpty();
        assertThat(report.workers()).isEqualTo(new MetricsReport.Workers(0, 0, 0));
        assertThat(report.jobs().sseConnections()).isZero();
        assertThat(report.cache().status()).isEqualTo(Level.UNKNOWN);
    }
}
