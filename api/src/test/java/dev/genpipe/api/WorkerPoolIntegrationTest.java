package dev.genpipe.api;

import static dev.genpipe.api.ApiTestSupport.awaitReady;
import static dev.genpipe.api.ApiTestSupport.closeQuietly;
import static dev.genpipe.api.ApiTestSupport.json;
import static dev.genpipe.api.ApiTestSupport.startApi;
import static dev.genpipe.api.ApiTestSupport.startBroker;
import static dev.genpipe.api.ApiTestSupport.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.pool.WorkerCommand;
import dev.genpipe.common.pool.WorkerStatus;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * The pool's admin endpoints against a real in-process Kafka broker. No worker runs here: the test writes the workers'
 * heartbeats and reads the commands the way workers do. Own broker: the last test stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerPoolIntegrationTest {

    private static final String TOKEN = "integration-admin-token-7f3a9c";
    // live for three heartbeats: three minutes, far longer than any await here, however slow the machine
    private static final Duration HEARTBEAT = Duration.ofMinutes(1);

    static LocalKafka broker;
    static ConfigurableApplicationContext api;
    static KafkaProducer<String, WorkerStatus> heartbeats;

    @BeforeAll
    static void start() {
        try {
            broker = startBroker();
            heartbeats = ApiTestSupport.heartbeatProducer(broker);
            api = startApi(broker.bootstrapServers(), "genpipe.api.admin-token=" + TOKEN,
                    "genpipe.api.kafka-timeout=2s");
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
    void knowsNoBreakerStateBeforeAnyWorkerReported() {
        JsonNode pool = json(admin("GET", "/api/circuit-breaker/state", 200));

        assertThat(pool.get("state").asString()).isEqualTo("unknown");
        assertThat(pool.get("workers").isEmpty()).isTrue();
        assertThat(pool.get("checkedAt").asString()).isNotBlank();
    }

    @Test
    @Order(2)
    void listsTheLiveWorkersAndCallsAMixedPoolDegraded() {
        Instant now = Instant.now();
        publish(new WorkerStatus("worker-b", now, HEARTBEAT, "OPEN", now.minusSeconds(3), 75.5f, true,
                Duration.ofMillis(2500), 0, 256));
        publish(new WorkerStatus("worker-a", now, HEARTBEAT, "CLOSED", now.minusSeconds(600), 0f, false,
                Duration.ZERO, 7, 256));
        publish(new WorkerStatus("worker-gone", now.minus(Duration.ofMinutes(10)), HEARTBEAT, "CLOSED",
                now.minus(Duration.ofHours(1)), 0f, false, Duration.ZERO, 0, 256));

        JsonNode pool = await("both live workers listed").atMost(Duration.ofSeconds(15))
                .until(() -> json(admin("GET", "/api/circuit-breaker/state", 200)),
                        state -> state.get("workers").size() == 2);

        assertThat(pool.get("state").asString()).isEqualTo("degraded");
        assertThat(pool.get("workers").valueStream().map(worker -> worker.get("workerId").asString()))
                .containsExactly("worker-a", "worker-b");
        JsonNode open = pool.at("/workers/1");
        assertThat(open.get("state").asString()).isEqualTo("open");
        assertThat(open.get("since").asString()).isEqualTo(now.minusSeconds(3).toString());
        assertThat(open.get("failureRate").asDouble()).isEqualTo(75.5);
        assertThat(open.get("paused").asBoolean()).isTrue();
        assertThat(open.get("pausedTotalMs").asLong()).isEqualTo(2500);
        assertThat(open.get("inFlight").asInt()).isZero();
        assertThat(open.get("maxInFlight").asInt()).isEqualTo(256);
        assertThat(open.get("lastSeen").asString()).isEqualTo(now.toString());
        assertThat(pool.at("/workers/0/state").asString()).isEqualTo("closed");
        assertThat(pool.at("/workers/0/inFlight").asInt()).isEqualTo(7);
    }

    @Test
    @Order(3)
    void showsABreakerTransitionOnTheNextHeartbeat() {
        Instant now = Instant.now();
        publish(new WorkerStatus("worker-a", now, HEARTBEAT, "CLOSED", now, 0f, false, Duration.ZERO, 0, 256));
        publish(new WorkerStatus("worker-b", now, HEARTBEAT, "HALF_OPEN", now, -1f, false, Duration.ZERO, 0, 256));

        JsonNode pool = await().atMost(Duration.ofSeconds(15))
                .until(() -> json(admin("GET", "/api/circuit-breaker/state", 200)),
                        state -> state.get("state").asString().equals("half_open"));
        assertThat(pool.at("/workers/1/state").asString()).isEqualTo("half_open");
        assertThat(pool.at("/workers/1/failureRate").asDouble()).isEqualTo(-1);
    }

    @Test
    @Order(4)
    void resetSendsTheCommandToTheWorkersAfterKafkaCommittedIt() {
        try (KafkaConsumer<String, WorkerCommand> worker = commandReader()) {
            JsonNode accepted = json(admin("POST", "/api/circuit-breaker/reset", 202));

            String commandId = accepted.get("commandId").asString();
            assertThat(accepted.get("command").asString()).isEqualTo("RESET_CIRCUIT_BREAKER");
            assertThat(accepted.get("workers").valueStream().map(JsonNode::asString))
                    .containsExactly("worker-a", "worker-b");
            WorkerCommand received = awaitCommand(worker, commandId);
            assertThat(received.kind()).isEqualTo(WorkerCommand.Kind.RESET_CIRCUIT_BREAKER);
            assertThat(received.at()).isNotNull();
        }
    }

    @Test
    @Order(5)
    void clearCacheSendsItsCommandToTheWorkers() {
        try (KafkaConsumer<String, WorkerCommand> worker = commandReader()) {
            JsonNode accepted = json(admin("POST", "/api/cache/clear", 202));

            WorkerCommand received = awaitCommand(worker, accepted.get("commandId").asString());
            assertThat(received.kind()).isEqualTo(WorkerCommand.Kind.CLEAR_CACHE);
        }
    }

    @Test
    @Order(6)
    void keepsTheAdminTokenToItself() {
        HttpResponse<String> anonymous = ApiTestSupport.send(request("GET", "/api/circuit-breaker/state").build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"genpipe-admin\"");
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> wrong = ApiTestSupport.send(request("POST", "/api/circuit-breaker/reset")
                .header("X-Admin-Token", "not-" + TOKEN).build());
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain(TOKEN);

        for (String path : List.of("/actuator/env", "/actuator/configprops", "/actuator/env/genpipe.api.admin-token")) {
            HttpResponse<String> actuator = ApiTestSupport.get(api, path);
            assertThat(actuator.statusCode()).as(path).isIn(403, 404);
            assertThat(actuator.body()).as(path).doesNotContain(TOKEN);
        }
        assertThat(ApiTestSupport.get(api, "/api/jobs/" + dev.genpipe.common.job.JobId.random()).statusCode())
                .as("job endpoints need no token").isEqualTo(404);
    }

    @Test
    @Order(7)
    void neverSetsACookie() {
        List<HttpResponse<String>> responses = List.of(
                ApiTestSupport.send(request("GET", "/api/circuit-breaker/state").build()),
                ApiTestSupport.send(request("GET", "/api/circuit-breaker/state").header("X-Admin-Token", "x").build()),
                ApiTestSupport.send(request("GET", "/api/circuit-breaker/state")
                        .header("Authorization", "Bearer " + TOKEN).build()),
                ApiTestSupport.send(request("GET", "/actuator/prometheus").header("Authorization", "Bearer " + TOKEN)
                        .build()),
                ApiTestSupport.get(api, "/api/health"),
                ApiTestSupport.get(api, "/api/jobs/" + dev.genpipe.common.job.JobId.random()),
                ApiTestSupport.get(api, "/index.html"));
        assertThat(responses).allSatisfy(response -> assertThat(response.headers().map())
                .as(response.uri().getPath()).doesNotContainKey("set-cookie"));
        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(401, 403, 200, 200, 200, 404, 200);
    }

    @Test
    @Order(Integer.MAX_VALUE) // stops the broker
    void refusesTheResetWith503WhenKafkaIsGone() {
        broker.close();
        broker = null;

        HttpResponse<String> refused = ApiTestSupport.send(request("POST", "/api/circuit-breaker/reset")
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build());

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(refused).get("detail").asString())
                .isEqualTo("Kafka is unreachable; the command was not sent, retry later");
    }

    private static void publish(WorkerStatus status) {
        try {
            heartbeats.send(new ProducerRecord<>(Topics.WORKER_STATUS, status.workerId(), status))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish a worker status", e);
        }
    }

    /** Reads the command topic the way workers do: committed records only, from the end as of now. */
    private static KafkaConsumer<String, WorkerCommand> commandReader() {
        KafkaConsumer<String, WorkerCommand> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                JsonSerde.of(WorkerCommand.class));
        TopicPartition partition = new TopicPartition(Topics.WORKER_COMMANDS, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition); // resolve "the end" now, before the command is sent
        return consumer;
    }

    private static WorkerCommand awaitCommand(KafkaConsumer<String, WorkerCommand> consumer, String commandId) {
        List<WorkerCommand> received = new CopyOnWriteArrayList<>();
        return await("command " + commandId + " on " + Topics.WORKER_COMMANDS).atMost(Duration.ofSeconds(15))
                .until(() -> {
                    for (ConsumerRecord<String, WorkerCommand> record : consumer.poll(Duration.ofMillis(200))) {
                        received.add(record.value());
                    }
                    return received.stream().filter(command -> command.commandId().equals(commandId)).findFirst();
                }, Optional::isPresent).orElseThrow();
    }

    private static HttpResponse<String> admin(String method, String path, int expectedStatus) {
        HttpResponse<String> response = ApiTestSupport.send(request(method, path)
                .header("Authorization", "Bearer " + TOKEN).build());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
        return response;
    }

    private static HttpRequest.Builder request(String method, String path) {
        return HttpRequest.newBuilder(uri(api, path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
    }
}
