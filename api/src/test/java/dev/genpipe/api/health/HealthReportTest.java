package dev.genpipe.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.api.pool.PoolState;
import dev.genpipe.api.pool.WorkerPool;
import dev.genpipe.common.kafka.GenPipeJson;
import dev.genpipe.common.pool.CacheStatus;
import dev.genpipe.common.pool.WorkerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The rules of {@code /api/health}, one place: {@link HealthReport#of}. */
class HealthReportTest {

    static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    static final KafkaCheck.Result KAFKA_UP = new KafkaCheck.Result(true, "1 broker reachable", NOW);
    static final KafkaCheck.Result KAFKA_DOWN = new KafkaCheck.Result(false, "cluster unreachable (TimeoutException)",
            NOW);
    static final CacheStatus REDIS = new CacheStatus("redis", true, "redis:6379", 30, 10, 40);

    @Test
    void isHealthyWhenKafkaAnswersAndEveryWorkerIsClosedOnRedis() {
        HealthReport report = report(KAFKA_UP, PoolState.CLOSED,
                worker("w1", "CLOSED", REDIS, "offline-stand-in"), worker("w2", "CLOSED", REDIS, "offline-stand-in"));

        assertThat(report.status()).isEqualTo(Level.HEALTHY);
        HealthReport.Components c = report.components();
        assertThat(c.api()).isEqualTo(Level.HEALTHY);
        assertThat(report.instance()).isEqualTo("api-1");
        assertThat(c.kafka()).isEqualTo(new HealthReport.Kafka(Level.HEALTHY, "1 broker reachable"));
        assertThat(c.gemini()).isEqualTo(new HealthReport.Gemini(Level.HEALTHY, "offline-stand-in", "gemini-test"));
        assertThat(c.circuitBreaker()).isEqualTo(new HealthReport.Breaker(Level.HEALTHY, "closed", 2, 0));
        assertThat(c.googleAi()).isEqualTo(Level.HEALTHY);
        assertThat(c.cache().status()).isEqualTo(Level.HEALTHY);
        assertThat(report.timestamp()).isEqualTo(NOW);
    }

    @Test
    void isDegradedAndKnowsNothingAboutTheWorkersWhenNoneIsAlive() {
        HealthReport report = report(KAFKA_UP, PoolState.UNKNOWN);

        assertThat(report.status()).isEqualTo(Level.DEGRADED);
        HealthReport.Components c = report.components();
        assertThat(c.kafka().status()).isEqualTo(Level.HEALTHY);
        assertThat(c.circuitBreaker()).isEqualTo(new HealthReport.Breaker(Level.UNKNOWN, "unknown", 0, 0));
        assertThat(c.gemini()).isEqualTo(new HealthReport.Gemini(Level.UNKNOWN, "unknown", null));
        assertThat(c.cache()).isEqualTo(new CacheSummary(Level.UNKNOWN, "unknown", null, null, 0, 0, 0, 0));
    }

    @Test
    void isUnhealthyWhenKafkaDoesNotAnswerWhateverTheWorkersSay() {
        HealthReport report = report(KAFKA_DOWN, PoolState.CLOSED, worker("w1", "CLOSED", REDIS, "gemini-api"));

        assertThat(report.status()).isEqualTo(Level.UNHEALTHY);
        assertThat(report.components().kafka())
                .isEqualTo(new HealthReport.Kafka(Level.UNHEALTHY, "cluster unreachable (TimeoutException)"));
    }

    @Test
    void isUnhealthyWhileTheJobStateIsNotLoaded() {
        HealthReport report = HealthReport.of("api-1", KAFKA_UP, null, NOW);

        assertThat(report.status()).isEqualTo(Level.UNHEALTHY);
        assertThat(report.components().kafka().status()).isEqualTo(Level.UNHEALTHY);
        assertThat(report.components().kafka().detail()).contains("job state is not loaded");
        assertThat(report.components().circuitBreaker().status()).isEqualTo(Level.UNKNOWN);
    }

    @Test
    void callsGeminiAndTheBreakerDegradedWhileAnyBreakerIsNotClosed() {
        for (PoolState state : List.of(PoolState.OPEN, PoolState.HALF_OPEN, PoolState.DEGRADED)) {
            HealthReport report = report(KAFKA_UP, state, worker("w1", "CLOSED", REDIS, "gemini-api"),
                    worker("w2", "OPEN", REDIS, "gemini-api"));

            assertThat(report.status()).as(state.name()).isEqualTo(Level.DEGRADED);
            assertThat(report.components().gemini().status()).as(state.name()).isEqualTo(Level.DEGRADED);
            assertThat(report.components().gemini().mode()).isEqualTo("gemini-api");
            assertThat(report.components().circuitBreaker())
                    .isEqualTo(new HealthReport.Breaker(Level.DEGRADED, state.json(), 2, 0));
            assertThat(report.components().cache().status()).isEqualTo(Level.HEALTHY);
        }
    }

    @Test
    void callsTheCacheDegradedWhenAnyWorkerLostRedisAndSumsTheWorkersFigures() {
        CacheStatus memory = new CacheStatus("in-memory", false, "redis:6379", 5, 15, 3);
        HealthReport report = report(KAFKA_UP, PoolState.CLOSED, worker("w1", "CLOSED", REDIS, "gemini-api"),
                worker("w2", "CLOSED", REDIS, "gemini-api"), worker("w3", "CLOSED", memory, "gemini-api"));

        assertThat(report.status()).isEqualTo(Level.DEGRADED);
        CacheSummary cache = report.components().cache();
        assertThat(cache.status()).isEqualTo(Level.DEGRADED);
        assertThat(cache.type()).as("what most workers use").isEqualTo("redis");
        assertThat(cache.connected()).isFalse();
        assertThat(cache.host()).isEqualTo("redis:6379");
        assertThat(cache.hits()).isEqualTo(65);
        assertThat(cache.misses()).isEqualTo(35);
        assertThat(cache.hitRatio()).isEqualTo(0.65);
        assertThat(cache.size()).as("the shared Redis map once, plus the fallback").isEqualTo(43);
    }

    @Test
    void aWorkerWithRedisDisabledByConfigurationKeepsTheCacheHealthy() {
        CacheStatus byChoice = new CacheStatus("in-memory", false, CacheStatus.REDIS_DISABLED, 5, 15, 3);
        HealthReport report = report(KAFKA_UP, PoolState.CLOSED, worker("w1", "CLOSED", byChoice, "gemini-api"));

        assertThat(report.components().cache().status()).isEqualTo(Level.HEALTHY);
        assertThat(report.components().cache().type()).isEqualTo("in-memory");
        assertThat(report.status()).isEqualTo(Level.HEALTHY);
    }

    @Test
    void takesGeminiModeAndModelFromMostWorkersAndIgnoresWorkersThatDoNotReportThem() {
        WorkerStatus old = new WorkerStatus("w0", NOW, Duration.ofSeconds(5), "CLOSED", NOW, 0, false, Duration.ZERO,
                0, 8);
        HealthReport report = report(KAFKA_UP, PoolState.CLOSED, old, worker("w1", "CLOSED", REDIS, "gemini-api"),
                worker("w2", "CLOSED", REDIS, "offline-stand-in"), worker("w3", "CLOSED", REDIS, "gemini-api"));

        assertThat(report.components().gemini().mode()).isEqualTo("gemini-api");
        assertThat(report.components().gemini().model()).isEqualTo("gemini-test");
        assertThat(report.components().cache().hits()).as("w0 has no cache report").isEqualTo(90);
    }

    @Test
    void speaksTheOriginalAppsJson() {
        WorkerStatus probing = new WorkerStatus("w1", NOW, Duration.ofSeconds(5), "HALF_OPEN", NOW.minusSeconds(60),
                60f, false, Duration.ZERO, 2, 8, REDIS, "offline-stand-in", "gemini-test", 3);
        JsonNode json = GenPipeJson.mapper().valueToTree(report(KAFKA_UP, PoolState.HALF_OPEN, probing,
                new WorkerStatus("w2", NOW, Duration.ofSeconds(5), "CLOSED", NOW, 10f, false, Duration.ZERO, 0, 8,
                        REDIS, "offline-stand-in", "gemini-test", 1)));

        assertThat(json.get("status").asString()).isEqualTo("degraded");
        assertThat(json.get("timestamp").asString()).isEqualTo("2026-01-01T10:00:00Z");
        // the original app's fields, with their names and types
        assertThat(json.at("/components/api").isString()).isTrue();
        assertThat(json.at("/components/api").asString()).isEqualTo("healthy");
        assertThat(json.at("/components/google_ai").asString()).isEqualTo("degraded");
        assertThat(json.at("/components/circuit_breaker/failure_count").isInt()).isTrue();
        assertThat(json.at("/components/circuit_breaker/failure_count").asInt()).as("summed over the workers")
                .isEqualTo(4);
        assertThat(json.get("instance").asString()).isEqualTo("api-1");
        assertThat(json.at("/components/kafka/status").asString()).isEqualTo("healthy");
        assertThat(json.at("/components/gemini/mode").asString()).isEqualTo("offline-stand-in");
        assertThat(json.at("/components/cache/hitRatio").asDouble()).isEqualTo(0.75);
        assertThat(json.at("/components/cache/type").asString()).isEqualTo("redis");
        assertThat(json.at("/components/circuit_breaker/state").asString()).isEqualTo("half_open");
        assertThat(json.at("/components/circuit_breaker/workers").asInt()).isEqualTo(2);
        assertThat(json.get("components").propertyNames())
                .containsExactly("api", "kafka", "gemini", "google_ai", "cache", "circuit_breaker");
    }

    static HealthReport report(KafkaCheck.Result kafka, PoolState state, WorkerStatus... workers) {
        return HealthReport.of("api-1", kafka, new WorkerPool.Snapshot(state, List.of(workers), NOW), NOW);
    }

    static WorkerStatus worker(String id, String breaker, CacheStatus cache, String gemini) {
        return new WorkerStatus(id, NOW, Duration.ofSeconds(5), breaker, NOW.minusSeconds(60), 0f, false,
                Duration.ZERO, 2, 8, cache, gemini, "gemini-test");
    }
}
