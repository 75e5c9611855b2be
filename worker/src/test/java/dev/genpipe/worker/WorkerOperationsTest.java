package dev.genpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.SubtopicsInput;
import dev.genpipe.common.kafka.GenPipeJson;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.kafka.WireSerializer;
import dev.genpipe.devstack.GeminiStandIn;
import dev.genpipe.devstack.LocalKafka;
import dev.genpipe.devstack.LocalRedis;
import dev.genpipe.worker.breaker.GeminiBreaker;
import dev.genpipe.worker.breaker.GeminiBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * What operators see of a worker: its probes while Gemini or Redis is down, and its JSON logs. One worker with the
 * profile {@code json-logs} against a real broker, a real redis-server and the Gemini stand-in.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerOperationsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);

    private static LocalKafka kafka;
    private static LocalRedis redis;
    private static GeminiStandIn gemini;
    private static WorkerTestStack stack;
    private static ConfigurableApplicationContext worker;
    private static KafkaProducer<String, Object> producer;
    private static KafkaConsumer<String, byte[]> events;
    private static final Map<JobId, List<JobEvent>> history = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        stack = WorkerTestStack.start("worker-ops",
                "spring.profiles.active=json-logs",
                "genpipe.breaker.failure-threshold=2",
                "genpipe.breaker.recovery-timeout=600.0", // the original app wrote decimal seconds
                "genpipe.breaker.first-recovery-timeout=600");
        kafka = stack.kafka;
        redis = stack.redis;
        gemini = stack.gemini;
        worker = stack.worker;
        producer = stack.producer;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ops-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        events = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        events.subscribe(List.of(Topics.JOB_EVENTS));
    }

    @AfterAll
    static void stop() {
        WorkerTestStack.closeAll(java.util.Arrays.asList(stack, events)); // events first
    }

    @Test
    void logsJsonWithTheJobIdWhileItProcessesAJob(CapturedOutput output) {
        int before = output.getOut().length(); // the broker's start-up lines, before the worker set up logging
        String topic = "Volcanoes " + UUID.randomUUID();
        awaitSucceeded(submit(topic));
        JobId cached = submit(topic); // served from the cache: logged at INFO inside the job's MDC
        awaitSucceeded(cached);

        List<String> lines = output.getOut().substring(before).lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as("console lines that are not JSON objects").filteredOn(line -> !isJsonObject(line))
                .isEmpty();
        List<JsonNode> logs = lines.stream().map(line -> GenPipeJson.mapper().readTree(line)).toList();
        assertThat(logs).isNotEmpty().allSatisfy(log -> {
            assertThat(log.at("/log/level").asString()).isNotBlank();
            assertThat(log.at("/service/name").asString()).isEqualTo("genpipe-worker");
            assertThat(log.at("/service/node/name").asString()).isEqualTo("worker-ops");
        });
        assertThat(logs).anySatisfy(log -> {
            assertThat(log.path("jobId").asString()).isEqualTo(cached.toString());
            assertThat(log.path("jobType").asString()).isEqualTo("SUBTOPICS");
            assertThat(log.get("message").asString()).contains("served from cache");
        });
    }

    @Test
    void staysLiveAndReadyWhileItsBreakerIsOpen() {
        GeminiBreakers breakers = worker.getBean(GeminiBreakers.class);
        GeminiBreaker breaker = breakers.primary();
        gemini.failAlways(GeminiStandIn.Failure.UNAVAILABLE);
        try {
            JobId waiting = submit("Outage " + UUID.randomUUID());
            await("the breaker opens").atMost(Duration.ofSeconds(30))
                    .until(() -> breaker.state() == CircuitBreaker.State.OPEN);

            assertThat(status("/actuator/health/liveness")).isEqualTo(200);
            assertThat(status("/actuator/health/readiness")).isEqualTo(200);
            assertThat(status("/actuator/health")).isEqualTo(200);

            gemini.recover();
            breakers.reset();
            awaitSucceeded(waiting);
        } finally {
            gemini.recover();
            breakers.reset();
        }
    }

    @Test
    void staysReadyWithTheCacheDegradedWhileRedisIsDown() {
        redis.stop();
        try {
            JsonNode health = await("the cache reported DEGRADED").atMost(Duration.ofSeconds(15))
                    .until(() -> json(get("/actuator/health")),
                            h -> "DEGRADED".equals(h.at("/components/cache/status").asString()));

            assertThat(health.get("status").asString()).isEqualTo("DEGRADED");
            assertThat(health.at("/components/cache/details/type").asString()).isEqualTo("in-memory");
            assertThat(status("/actuator/health")).as("DEGRADED maps to 200").isEqualTo(200);
            assertThat(status("/actuator/health/readiness")).isEqualTo(200);
            assertThat(status("/actuator/health/liveness")).isEqualTo(200);
        } finally {
            redis.restart();
        }
        await("back on Redis").atMost(Duration.ofSeconds(15))
                .until(() -> json(get("/actuator/health")).at("/components/cache/status").asString().equals("UP"));
    }

    private static JobId submit(String topic) {
        JobRequested request = new JobRequested(JobId.random(), new SubtopicsInput(topic), Instant.now());
        try {
            producer.send(new ProducerRecord<>(Topics.JOBS, request.fingerprint(), request)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return request.jobId();
    }

    private static void awaitSucceeded(JobId id) {
        await("job " + id + " succeeded").atMost(Duration.ofSeconds(30)).until(() -> {
            synchronized (events) {
                for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(100))) {
                    JobEvent e = EVENTS.deserialize(r.topic(), r.value());
                    history.computeIfAbsent(e.jobId(), k -> new CopyOnWriteArrayList<>()).add(e);
                }
            }
            List<JobEvent> of = history.getOrDefault(id, List.of());
            return !of.isEmpty() && of.getLast() instanceof JobSucceeded;
        });
    }

    private static int status(String path) {
        return get(path).statusCode();
    }

    private static HttpResponse<String> get(String path) {
        int port = Integer.parseInt(worker.getEnvironment().getRequiredProperty("local.server.port"));
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isJsonObject(String line) {
        try {
            return GenPipeJson.mapper().readTree(line).isObject();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return GenPipeJson.mapper().readTree(response.body());
    }
}
