package dev.genpipe.api;

import static dev.genpipe.api.ApiTestSupport.awaitReady;
import static dev.genpipe.api.ApiTestSupport.closeQuietly;
import static dev.genpipe.api.ApiTestSupport.json;
import static dev.genpipe.api.ApiTestSupport.post;
import static dev.genpipe.api.ApiTestSupport.startApi;
import static dev.genpipe.api.ApiTestSupport.startBroker;
import static dev.genpipe.api.ApiTestSupport.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.pool.CacheStatus;
import dev.genpipe.common.pool.WorkerStatus;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import dev.genpipe.devstack.LocalKafka;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/health} and {@code /api/metrics} against a real in-process Kafka broker; the workers' heartbeats are
 * written by the test the way workers write them. Own broker: the last test stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthEndpointsIntegrationTest {

    private static final String TOKEN = "health-admin-token-5d1e77";
    // live for three heartbeats: three minutes, far longer than any await here, however slow the machine
    private static final Duration HEARTBEAT = Duration.ofMinutes(1);
    private static final CacheStatus REDIS = new CacheStatus("redis", true, "127.0.0.1:6379", 6, 2, 4);

    static LocalKafka broker;
    static ConfigurableApplicationContext api;
    static KafkaProducer<String, WorkerStatus> heartbeats;

    @BeforeAll
    static void start() {
        try {
            broker = startBroker();
            heartbeats = ApiTestSupport.heartbeatProducer(broker);
            api = startApi(broker.bootstrapServers(), "genpipe.api.instance-id=health-it",
                    "genpipe.api.admin-token=" + TOKEN, "genpipe.clients.open-access=true");
            awaitReady(api);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        closeQuietly(api, heartbeats, broker);
    }

    @Test
    @Order(1)
    void isDegradedWithoutWorkersAndNeedsNoToken() {
        HttpResponse<String> response = anonymous("/api/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode health = json(response);
        assertThat(health.get("status").asString()).isEqualTo("degraded");
        assertThat(health.get("timestamp").asString()).isNotBlank();
        assertThat(health.at("/components/api").asString()).isEqualTo("healthy");
        assertThat(health.get("instance").asString()).isEqualTo("health-it");
        assertThat(health.at("/components/kafka/status").asString()).isEqualTo("healthy");
        assertThat(health.at("/components/kafka/detail").asString()).isEqualTo("1 broker reachable");
        assertThat(health.at("/components/gemini/status").asString()).isEqualTo("unknown");
        assertThat(health.at("/components/gemini/mode").asString()).isEqualTo("unknown");
        assertThat(health.at("/components/cache/status").asString()).isEqualTo("unknown");
        assertThat(health.at("/components/circuit_breaker/state").asString()).isEqualTo("unknown");
        assertThat(health.at("/components/circuit_breaker/workers").asInt()).isZero();
        assertThat(response.body()).doesNotContain(TOKEN);
    }

    @Test
    @Order(2)
    void isHealthyWhenTheLiveWorkersAreClosedAndOnRedis() {
        Instant now = Instant.now();
        publish(worker("worker-a", now, "CLOSED", REDIS, 3));
        publish(worker("worker-b", now, "CLOSED", REDIS, 1));

        JsonNode health = await("a healthy pool of two").atMost(Duration.ofSeconds(15))
                .until(() -> json(anonymous("/api/health")), h -> h.get("status").asString().equals("healthy"));

        assertThat(health.at("/components/circuit_breaker/state").asString()).isEqualTo("closed");
        assertThat(health.at("/components/circuit_breaker/workers").asInt()).isEqualTo(2);
        assertThat(health.at("/components/gemini/mode").asString()).isEqualTo("offline-stand-in");
        assertThat(health.at("/components/gemini/model").asString()).isEqualTo("gemini-2.5-flash");
        JsonNode cache = health.at("/components/cache");
        assertThat(cache.get("type").asString()).isEqualTo("redis");
        assertThat(cache.get("connected").asBoolean()).isTrue();
        assertThat(cache.get("host").asString()).isEqualTo("127.0.0.1:6379");
        assertThat(cache.get("hits").asLong()).isEqualTo(12);
        assertThat(cache.get("misses").asLong()).isEqualTo(4);
        assertThat(cache.get("hitRatio").asDouble()).isEqualTo(0.75);
        assertThat(cache.get("size").asLong()).as("one shared Redis map").isEqualTo(4);
    }

    @Test
    @Order(3)
    void isDegradedWhileABreakerIsOpenOrAWorkerLostRedis() {
        publishAPoolWithAnOpenBreaker();

        JsonNode health = await("worker-b's open breaker seen").atMost(Duration.ofSeconds(15))
                .until(() -> json(anonymous("/api/health")),
                        h -> h.at("/components/circuit_breaker/state").asString().equals("degraded"));

        assertThat(health.get("status").asString()).isEqualTo("degraded");
        assertThat(health.at("/components/gemini/status").asString()).isEqualTo("degraded");
        assertThat(health.at("/components/circuit_breaker/status").asString()).isEqualTo("degraded");
        assertThat(health.at("/components/cache/status").asString()).isEqualTo("degraded");
        assertThat(health.at("/components/cache/connected").asBoolean()).isFalse();
        assertThat(health.at("/components/kafka/status").asString()).isEqualTo("healthy");
    }

    @Test
    @Order(4)
    void summarisesMetricsAndExposesThemToPrometheus() {
        HttpResponse<String> accepted = post(api, """
                {"type":"EXPLANATION","input":{"topic":"Rust","subtopic":"Ownership"}}""");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        publishAPoolWithAnOpenBreaker(); // fresh heartbeats: the workers stay live for three heartbeats

        HttpResponse<String> response = anonymous("/api/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode metrics = await("both workers live in the metrics").atMost(Duration.ofSeconds(15))
                .until(() -> json(anonymous("/api/metrics")), m -> m.at("/workers/live").asInt() == 2);
        assertThat(metrics.at("/jobs/submitted/EXPLANATION").asLong()).isEqualTo(1);
        assertThat(metrics.at("/jobs/submitted/SUBTOPICS").asLong()).isZero();
        assertThat(metrics.at("/jobs/sseConnections").asLong()).isZero();
        assertThat(metrics.at("/workers/live").asInt()).isEqualTo(2);
        assertThat(metrics.at("/workers/inFlight").asLong()).isEqualTo(3);
        assertThat(metrics.at("/workers/maxInFlight").asLong()).isEqualTo(512);
        assertThat(metrics.at("/circuit_breaker/state").asString()).isEqualTo("degraded");
        assertThat(metrics.at("/circuit_breaker/workers/1/workerId").asString()).isEqualTo("worker-b");
        assertThat(metrics.at("/circuit_breaker/workers/1/state").asString()).isEqualTo("open");
        assertThat(metrics.at("/circuit_breaker/workers/1/paused").asBoolean()).isTrue();
        assertThat(metrics.at("/cache/hits").asLong()).isEqualTo(7);
        assertThat(response.body()).doesNotContain(TOKEN);

        HttpResponse<String> scraped = ApiTestSupport.send(request("/actuator/prometheus")
                .header("Authorization", "Bearer " + TOKEN).build());
        assertThat(scraped.statusCode()).isEqualTo(200);
        String prometheus = scraped.body();
        assertThat(prometheus).contains("genpipe_jobs_submitted_total{").contains("type=\"EXPLANATION\"")
                .contains("genpipe_sse_connections").contains("genpipe_jobs_state_size");
    }

    @Test
    @Order(Integer.MAX_VALUE) // stops the broker
    void isUnhealthyWith503WhenKafkaIsGone() {
        broker.close();
        broker = null;

        HttpResponse<String> response = await("Kafka seen gone").atMost(Duration.ofSeconds(60))
                .until(() -> anonymous("/api/health"), r -> r.statusCode() == 503);

        JsonNode health = json(response);
        assertThat(health.get("status").asString()).isEqualTo("unhealthy");
        assertThat(health.at("/components/kafka/status").asString()).isEqualTo("unhealthy");
        assertThat(health.at("/components/kafka/detail").asString()).startsWith("cluster unreachable");
        assertThat(health.at("/components/api").asString()).isEqualTo("healthy");
    }

    /** Without any credential: both endpoints are public. */
    private static HttpResponse<String> anonymous(String path) {
        return ApiTestSupport.send(request(path).build());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(api, path)).timeout(Duration.ofSeconds(20)).GET();
    }

    private static void publishAPoolWithAnOpenBreaker() {
        Instant now = Instant.now();
        publish(worker("worker-a", now, "CLOSED", REDIS, 3));
        publish(worker("worker-b", now, "OPEN", new CacheStatus("in-memory", false, "127.0.0.1:6379", 1, 1, 2), 0));
    }

    private static WorkerStatus worker(String id, Instant now, String breaker, CacheStatus cache, int inFlight) {
        return new WorkerStatus(id, now, HEARTBEAT, breaker, now.minusSeconds(30), breaker.equals("OPEN") ? 100f : 0f,
                breaker.equals("OPEN"), Duration.ofMillis(breaker.equals("OPEN") ? 800 : 0), inFlight, 256, cache,
                "offline-stand-in", "gemini-2.5-flash");
    }

    private static void publish(WorkerStatus status) {
        try {
            heartbeats.send(new ProducerRecord<>(Topics.WORKER_STATUS, status.workerId(), status))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish a worker status", e);
        }
    }
}
