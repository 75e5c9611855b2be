package dev.genpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobFailed;
import dev.genpipe.common.event.JobRequeued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.SubtopicsInput;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.kafka.WireSerializer;
import dev.genpipe.devstack.GeminiStandIn;
import dev.genpipe.devstack.LocalKafka;
import dev.genpipe.devstack.LocalRedis;
import dev.genpipe.worker.cache.ResultCache;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The worker alone against a real broker, a real redis-server and the Gemini stand-in (through the real SDK). */
class WorkerIntegrationTest {

    private static final int MAX_ATTEMPTS = 3;
    private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);

    private static LocalKafka kafka;
    private static LocalRedis redis;
    private static GeminiStandIn gemini;
    private static WorkerTestStack stack;
    private static ConfigurableApplicationContext worker;
    private static KafkaProducer<String, Object> producer;
    private static EventLog events;

    @BeforeAll
    static void start() {
        stack = WorkerTestStack.start("worker-it", "genpipe.worker.max-attempts=" + MAX_ATTEMPTS);
        kafka = stack.kafka;
        redis = stack.redis;
        gemini = stack.gemini;
        worker = stack.worker;
        producer = stack.producer;
        events = new EventLog(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        WorkerTestStack.closeAll(java.util.Arrays.asList(stack, events)); // events first
    }

    @BeforeEach
    void resetGemini() {
        gemini.reset();
    }

    @Test
    void publishesJobCompletionWithTokenUsage() {
        JobRequested request = submit("Glaciers " + UUID.randomUUID());

        JobSucceeded done = awaitTerminal(request.jobId(), JobSucceeded.class);

        assertThat(done.cached()).isFalse();
        assertThat(done.usage().totalTokens()).isPositive();
        assertThat(events.of(request.jobId()).getFirst()).isInstanceOf(JobStarted.class);
    }

    @Test
    void deadLettersPoisonWithoutBlockingThePartition() throws Exception {
        JobRequested after = new JobRequested(JobId.random(), new SubtopicsInput("Tides " + UUID.randomUUID()),
                Instant.now());
        // the same key puts both records on the same partition, poison first
        producer.send(new ProducerRecord<>(Topics.JOBS, after.fingerprint(),
                "{not json".getBytes(StandardCharsets.UTF_8))).get();
        producer.send(new ProducerRecord<>(Topics.JOBS, after.fingerprint(), after)).get();

        awaitTerminal(after.jobId(), JobSucceeded.class);
        ConsumerRecord<String, byte[]> letter = events.awaitDeadLetter(r -> new String(r.value(),
                StandardCharsets.UTF_8).equals("{not json"));
        assertThat(new String(letter.headers().lastHeader("genpipe-dlt-code").value(), StandardCharsets.UTF_8))
                .isEqualTo("poison");
    }

    @Test
    void givesUpAfterTheConfiguredAttemptsOnPersistentServerErrors() {
        JobRequested request = submit("Outage " + UUID.randomUUID() + " [[standin:fail=503]]");

        JobFailed failed = awaitTerminal(request.jobId(), JobFailed.class);

        assertThat(failed.code()).isEqualTo("retries_exhausted");
        assertThat(gemini.calls()).isEqualTo(MAX_ATTEMPTS);
        assertThat(events.of(request.jobId())).filteredOn(e -> e instanceof JobRequeued).hasSize(MAX_ATTEMPTS - 1);
        assertThat(events.of(request.jobId())).filteredOn(e -> e instanceof JobStarted).hasSize(MAX_ATTEMPTS);
        events.awaitDeadLetter(r -> request.jobId().toString().equals(r.key()));
    }

    @Test
    void fallsBackToMemoryWhileRedisIsDownAndReturnsToRedisByItself() {
        ResultCache cache = worker.getBean(ResultCache.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.stats().type().equals("redis"));
        redis.stop();
        try {
            String topic = "Deserts " + UUID.randomUUID();
            JobSucceeded first = awaitTerminal(submit(topic).jobId(), JobSucceeded.class);
            JobSucceeded second = awaitTerminal(submit(topic).jobId(), JobSucceeded.class);

            assertThat(first.cached()).isFalse();
            assertThat(second.cached()).as("served from the in-memory fallback").isTrue();
            assertThat(cache.stats().type()).isEqualTo("in-memory");
            assertThat(cache.stats().connected()).isFalse();
            assertThat(gemini.calls()).isEqualTo(1);
        } finally {
            redis.restart();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> cache.stats().type().equals("redis"));
        String topic = "Oases " + UUID.randomUUID();
        awaitTerminal(submit(topic).jobId(), JobSucceeded.class);
        assertThat(awaitTerminal(submit(topic).jobId(), JobSucceeded.class).cached()).isTrue();
        // the Redis size is a background count, at most a few seconds old
        await().atMost(Duration.ofSeconds(15)).until(() -> cache.stats().size() > 0);
    }

    private static JobRequested submit(String topic) {
        JobRequested request = new JobRequested(JobId.random(), new SubtopicsInput(topic), Instant.now());
        try {
            producer.send(new ProducerRecord<>(Topics.JOBS, request.fingerprint(), request)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return request;
    }

    private static <T extends JobEvent> T awaitTerminal(JobId id, Class<T> type) {
        JobEvent last = await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<JobEvent> history = events.of(id);
            return history.isEmpty() ? null : history.getLast();
        }, e -> e != null && e.status().isTerminal());
        assertThat(last).isInstanceOf(type);
        return type.cast(last);
    }

    /** Reads job events and dead letters in the background. */
    private static final class EventLog implements AutoCloseable {

        private final Map<JobId, List<JobEvent>> byJob = new ConcurrentHashMap<>();
        private final List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
        private final Thread reader;
        private volatile boolean running = true;

        EventLog(String bootstrap) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            reader = Thread.ofPlatform().daemon().start(() -> {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(Topics.JOB_EVENTS, Topics.JOBS_DLT));
                    while (running) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                            if (r.topic().equals(Topics.JOBS_DLT)) {
                                deadLetters.add(r);
                            } else {
                                JobEvent e = EVENTS.deserialize(r.topic(), r.value());
                                byJob.computeIfAbsent(e.jobId(), k -> new CopyOnWriteArrayList<>()).add(e);
                            }
                        }
                    }
                }
            });
        }

        List<JobEvent> of(JobId id) {
            return byJob.getOrDefault(id, List.of());
        }

        ConsumerRecord<String, byte[]> awaitDeadLetter(java.util.function.Predicate<ConsumerRecord<String, byte[]>> which) {
            return await().atMost(Duration.ofSeconds(30))
                    .until(() -> deadLetters.stream().filter(which).findFirst().orElse(null), r -> r != null);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            reader.join(5_000);
        }
    }
}
