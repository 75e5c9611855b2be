package dev.genpipe.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.systemtests.ApiClient.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The pipeline end to end: HTTP → Kafka → worker → (Redis, Gemini stand-in via the real SDK) → Kafka → status/SSE. */
class PipelineTest {

    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    private static GenPipeStack stack;
    private static ApiClient api;
    private static org.springframework.context.ConfigurableApplicationContext worker;

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi();
        worker = stack.startWorker("worker-1");
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @BeforeEach
    void resetGemini() {
        stack.gemini.reset();
    }

    @Test
    void completesASubtopicsJobAndStreamsItsLifecycle() {
        String topic = "Photosynthesis " + unique();
        String jobId = api.submitted("""
                {"type":"SUBTOPICS","input":{"topic":"%s","count":4}}""".formatted(topic));

        List<SseEvent> events = api.events(jobId, null, STREAM_TIMEOUT);

        assertThat(events).extracting(SseEvent::event).containsExactly("queued", "started", "succeeded");
        assertThat(events).extracting(SseEvent::id).containsExactly("1", "2", "3");
        JsonNode result = events.getLast().data().get("result");
        assertThat(result.get("subtopics")).hasSize(4);
        assertThat(result.get("subtopics").get(0).asString()).contains("Photosynthesis");

        JsonNode job = api.job(jobId).body();
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("cached").asBoolean()).isFalse();
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        assertThat(job.get("usage").get("totalTokens").asInt()).isPositive();
        assertThat(stack.gemini.calls()).isEqualTo(1);
        io.micrometer.core.instrument.MeterRegistry meters = GenPipeStack.bean(worker,
                io.micrometer.core.instrument.MeterRegistry.class);
        assertThat(meters.find("genpipe.jobs.queue.wait").tag("type", "SUBTOPICS").timer().count()).isPositive();
        // recorded once Kafka acknowledged the terminal event, which the client may hear about a moment earlier
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.find("genpipe.jobs.duration")
                .tags("type", "SUBTOPICS", "outcome", "succeeded").timer().count() > 0);
    }

    @Test
    void servesAnIdenticalRequestFromTheCacheWithoutCallingGemini() {
        String topic = "Plate Tectonics " + unique();
        String first = api.submitted("""
                {"type":"SUBTOPICS","input":{"topic":"%s"}}""".formatted(topic));
        awaitStatus(api, first, "SUCCEEDED");
        int callsAfterFirst = stack.gemini.calls();

        String second = api.submitted("""
                {"type":"SUBTOPICS","input":{"topic":"  %s  "}}""".formatted(topic.toUpperCase()));
        JsonNode job = awaitStatus(api, second, "SUCCEEDED");

        assertThat(second).isNotEqualTo(first);
        assertThat(job.get("cached").asBoolean()).isTrue();
        assertThat(job.get("result")).isEqualTo(api.job(first).body().get("result"));
        assertThat(stack.gemini.calls()).isEqualTo(callsAfterFirst).isEqualTo(1);
    }

    @Test
    void completesAnExplanationJob() {
        String jobId = api.submitted("""
                {"type":"EXPLANATION","input":{"topic":"Rust %s","subtopic":"Ownership","level":"beginner"}}"""
                .formatted(unique()));

        JsonNode job = awaitStatus(api, jobId, "SUCCEEDED");

        assertThat(job.get("result").get("markdown").asString()).contains("Ownership");
        assertThat(job.get("type").asString()).isEqualTo("EXPLANATION");
    }

    @Test
    void failsAJobOnANonRetryableGeminiErrorAndSaysWhy() {
        String jobId = api.submitted("""
                {"type":"SUBTOPICS","input":{"topic":"Forbidden %s [[standin:fail=400]]"}}""".formatted(unique()));

        List<SseEvent> events = api.events(jobId, null, STREAM_TIMEOUT);

        assertThat(events).extracting(SseEvent::event).containsExactly("queued", "started", "failed");
        assertThat(events.getLast().data().toString()).contains("invalid_request");
        JsonNode job = api.job(jobId).body();
        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").get("code").asString()).isEqualTo("invalid_request");
        assertThat(job.get("error").get("message").asString()).contains("400");
        assertThat(stack.gemini.calls()).as("a non-retryable error is not retried").isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameJob() {
        String key = "order-" + unique();
        String body = """
                {"type":"SUBTOPICS","input":{"topic":"Comets %s"}}""".formatted(unique());

        ApiClient.Response first = api.submit(body, key);
        ApiClient.Response again = api.submit(body, key);
        JsonNode job = awaitStatus(api, first.body().get("jobId").asString(), "SUCCEEDED");
        ApiClient.Response afterwards = api.submit(body, key);
        ApiClient.Response otherBody = api.submit(body.replace("Comets", "Asteroids"), key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().get("jobId")).isEqualTo(first.body().get("jobId"));
        assertThat(afterwards.body().get("jobId")).isEqualTo(first.body().get("jobId"));
        assertThat(afterwards.body().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        assertThat(stack.gemini.calls()).isEqualTo(1);
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.contentType()).startsWith("application/problem+json");
        assertThat(api.submit(body, "bad key with spaces").status()).isEqualTo(400);
    }

    @Test
    void aSecondApiInstanceServesAJobItNeverSaw() {
        String jobId = api.submitted("""
                {"type":"SUBTOPICS","input":{"topic":"Volcanoes %s"}}""".formatted(unique()));
        JsonNode seenByFirst = awaitStatus(api, jobId, "SUCCEEDED");

        ApiClient second = stack.startApi();

        JsonNode seenBySecond = awaitStatus(second, jobId, "SUCCEEDED");
        assertThat(seenBySecond.get("result")).isEqualTo(seenByFirst.get("result"));
        assertThat(second.events(jobId, null, STREAM_TIMEOUT)).extracting(SseEvent::event)
                .containsExactly("queued", "started", "succeeded");
    }

    @Test
    void keepsManyGeminiCallsInFlightBeyondThePartitionCount() throws Exception {
        int jobs = 200;
        // every call is held at the stand-in until all 200 are in flight at once: a count, not a race against the
        // machine's speed (a worker that capped its concurrency at its partitions would never get there)
        stack.gemini.hold();
        String run = unique();
        List<String> ids = new ArrayList<>();
        try {
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<String>> submitted = new ArrayList<>();
                for (int i = 0; i < jobs; i++) {
                    String body = """
                            {"type":"SUBTOPICS","input":{"topic":"Load %s number %d"}}""".formatted(run, i);
                    submitted.add(clients.submit(() -> api.submitted(body)));
                }
                for (Future<String> f : submitted) {
                    ids.add(f.get());
                }
            }
            await("all %d Gemini calls in flight on one worker reading %d partitions".formatted(jobs,
                    GenPipeStack.PARTITIONS)).atMost(Duration.ofSeconds(60))
                    .until(() -> stack.gemini.inFlight() == jobs);
        } finally {
            stack.gemini.release();
        }
        for (String id : ids) {
            awaitStatus(api, id, "SUCCEEDED");
        }
        assertThat(stack.gemini.calls()).isEqualTo(jobs);
        assertThat(stack.gemini.peakConcurrency()).isEqualTo(jobs);
        for (String id : ids) {
            List<SseEvent> history = api.events(id, null, STREAM_TIMEOUT);
            assertThat(history.stream().filter(e -> TERMINAL.contains(e.event())).count())
                    .as("terminal events of job %s over SSE", id).isEqualTo(1);
        }
        // on the topic itself, where no lifecycle guard drops a second one
        try (TopicLedger ledger = new TopicLedger(stack.kafka.bootstrapServers())) {
            java.util.Map<String, List<dev.genpipe.common.event.JobEvent>> onTopic = ledger.eventsByJob();
            for (String id : ids) {
                assertThat(onTopic.get(id)).as("events of job %s on genpipe.job-events", id)
                        .filteredOn(e -> e.status().isTerminal()).hasSize(1);
            }
        }
    }

    static JsonNode awaitStatus(ApiClient client, String jobId, String status) {
        return await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> client.job(jobId), r -> {
                    if (r.status() != 200) {
                        return false;
                    }
                    String now = r.body().get("status").asString();
                    if (!now.equals(status) && Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(now)) {
                        throw new AssertionError("job " + jobId + " ended " + now + " instead of " + status + ": "
                                + r.body());
                    }
                    return now.equals(status);
                })
                .body();
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
