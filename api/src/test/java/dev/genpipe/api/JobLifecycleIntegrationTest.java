package dev.genpipe.api;

import static dev.genpipe.api.ApiTestSupport.HTTP;
import static dev.genpipe.api.ApiTestSupport.awaitReady;
import static dev.genpipe.api.ApiTestSupport.closeQuietly;
import static dev.genpipe.api.ApiTestSupport.closedPort;
import static dev.genpipe.api.ApiTestSupport.get;
import static dev.genpipe.api.ApiTestSupport.json;
import static dev.genpipe.api.ApiTestSupport.post;
import static dev.genpipe.api.ApiTestSupport.startApi;
import static dev.genpipe.api.ApiTestSupport.startBroker;
import static dev.genpipe.api.ApiTestSupport.send;
import static dev.genpipe.api.ApiTestSupport.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.api.ApiTestSupport.FakeWorker;
import dev.genpipe.api.ApiTestSupport.SseFrame;
import dev.genpipe.common.event.JobFailed;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.TokenUsage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The API against a real in-process Kafka broker: submit, read-your-writes, state from the worker's events, SSE with
 * resumption, a second instance, Kafka outage. No worker runs here: {@link FakeWorker} writes the worker's events.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobLifecycleIntegrationTest {

    private static final String SUBTOPICS = """
            {"type":"SUBTOPICS","input":{"topic":"Photosynthesis","count":3}}""";

    static LocalKafka broker;
    static ConfigurableApplicationContext api;
    static FakeWorker worker;

    @BeforeAll
    static void start() {
        try {
            broker = startBroker();
            worker = new FakeWorker(broker.bootstrapServers());
            api = startApi(broker.bootstrapServers(), "genpipe.api.sse-heartbeat=500ms");
            awaitReady(api);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        closeQuietly(api, worker, broker);
    }

    @Test
    void acceptsJobAndAnswersQueuedRightAway() {
        HttpResponse<String> accepted = post(api, SUBTOPICS);

        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = json(accepted).get("jobId").asString();
        assertThat(accepted.headers().firstValue("Location")).hasValue("/api/jobs/" + jobId);
        assertThat(json(accepted).get("status").asString()).isEqualTo("QUEUED");
        assertThat(json(accepted).at("/links/events").asString()).isEqualTo("/api/jobs/" + jobId + "/events");

        HttpResponse<String> status = get(api, "/api/jobs/" + jobId); // no polling: read-your-writes
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode view = json(status);
        assertThat(view.get("status").asString()).isEqualTo("QUEUED");
        assertThat(view.get("type").asString()).isEqualTo("SUBTOPICS");
        assertThat(view.at("/input/topic").asString()).isEqualTo("Photosynthesis");
        assertThat(view.get("attempts").asInt()).isZero();
        assertThat(view.get("result").isNull()).isTrue();
    }

    @Test
    void showsResultOnceTheWorkerSucceeded() {
        JobId jobId = submit();

        worker.publish(started(jobId), succeeded(jobId));

        JsonNode view = awaitStatus(jobId, "SUCCEEDED");
        assertThat(view.get("attempts").asInt()).isEqualTo(1);
        assertThat(view.at("/result/kind").asString()).isEqualTo("subtopics");
        assertThat(view.at("/result/subtopics/0").asString()).isEqualTo("Light reactions");
        assertThat(view.at("/usage/totalTokens").asInt()).isEqualTo(30);
        assertThat(view.get("model").asString()).isEqualTo("gemini-test");
        assertThat(view.get("cached").asBoolean()).isFalse();
        assertThat(view.get("error").isNull()).isTrue();
        assertThat(view.get("startedAt").isNull()).isFalse();
        assertThat(view.get("finishedAt").isNull()).isFalse();
    }

    @Test
    void showsFailureWithItsCode() {
        JobId jobId = submit();

        worker.publish(started(jobId), new JobFailed(jobId, Instant.now(), "retries_exhausted", "Gemini kept failing"));

        JsonNode view = awaitStatus(jobId, "FAILED");
        assertThat(view.at("/error/code").asString()).isEqualTo("retries_exhausted");
        assertThat(view.at("/error/message").asString()).isEqualTo("Gemini kept failing");
        assertThat(view.get("result").isNull()).isTrue();
    }

    @Test
    void ignoresDuplicateAndLateEvents() {
        JobId jobId = submit();

        worker.publish(started(jobId), succeeded(jobId), succeeded(jobId), started(jobId));

        awaitStatus(jobId, "SUCCEEDED");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> {
            HttpResponse<String> response = get(api, "/api/jobs/" + jobId);
            return json(response).get("status").asString().equals("SUCCEEDED")
                    && json(response).get("attempts").asInt() == 1;
        });
    }

    @Test
    void streamsEventsUntilTheTerminalOneThenCloses() {
        JobId jobId = submit();
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> response = HTTP.sendAsync(
                HttpRequest.newBuilder(uri(api, "/api/jobs/" + jobId + "/events"))
                        .header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines()).join();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> response.body().forEach(lines::add));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event:queued"));
        worker.publish(started(jobId), succeeded(jobId));
        await("the stream closes itself").atMost(Duration.ofSeconds(15)).until(closed::isDone);

        List<SseFrame> frames = SseFrame.parse(lines);
        assertThat(frames).extracting(SseFrame::id).containsExactly("1", "2", "3");
        assertThat(frames).extracting(SseFrame::event).containsExactly("queued", "started", "succeeded");
        assertThat(frames.get(1).json().get("workerId").asString()).isEqualTo("worker-1");
        JsonNode last = frames.get(2).json();
        assertThat(last.get("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(last.get("seq").asLong()).isEqualTo(3);
        assertThat(last.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(last.at("/result/subtopics/1").asString()).isEqualTo("Calvin cycle");
        assertThat(last.at("/usage/outputTokens").asInt()).isEqualTo(20);
    }

    @Test
    void tellsABrowserToStopReconnectingOnceItHasSeenTheEnd() {
        JobId jobId = submit();
        worker.publish(started(jobId), succeeded(jobId));
        awaitStatus(jobId, "SUCCEEDED");
        String events = "/api/jobs/" + jobId + "/events";

        // an EventSource reconnects after the server closes the stream; at or after the terminal event: 204, which
        // (the HTML standard) makes it stop for good
        HttpResponse<String> atTheEnd = send(HttpRequest.newBuilder(uri(api, events))
                .header("Accept", "text/event-stream").header("Last-Event-ID", "3").GET().build());
        assertThat(atTheEnd.statusCode()).isEqualTo(204);
        assertThat(atTheEnd.body()).isEmpty();
        assertThat(send(HttpRequest.newBuilder(uri(api, events)).header("Last-Event-ID", "7").GET().build())
                .statusCode()).isEqualTo(204);

        // before the end it resumes with what was missed, and says how long to wait before reconnecting
        HttpResponse<String> resumed = send(HttpRequest.newBuilder(uri(api, events))
                .header("Accept", "text/event-stream").header("Last-Event-ID", "2").GET().build());
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(resumed.body()).startsWith("retry:3000");
        assertThat(SseFrame.parse(resumed.body().lines().toList())).extracting(SseFrame::event)
                .containsExactly("succeeded");
    }

    @Test
    void keepsIdleStreamsAliveAndCleansUpWhenClientsLeave() throws Exception {
        JobId jobId = submit();
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> response = HTTP.sendAsync(
                HttpRequest.newBuilder(uri(api, "/api/jobs/" + jobId + "/events")).GET().build(),
                HttpResponse.BodyHandlers.ofLines()).join();
        java.util.stream.Stream<String> body = response.body();
        CompletableFuture.runAsync(() -> body.forEach(lines::add));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(line -> line.startsWith(":")));
        await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() >= 1);

        body.close(); // the client goes away; the next heartbeat notices
        await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 0);
    }

    @Test
    void answersUnknownJobStreamWith404ProblemEvenWhenAskedForEvents() {
        HttpResponse<String> response = ApiTestSupport.send(HttpRequest.newBuilder(
                        uri(api, "/api/jobs/" + JobId.random() + "/events"))
                .header("Accept", "text/event-stream").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("detail").asString()).isEqualTo("no such job");
    }

    @Test
    void resumesTheStreamAfterLastEventId() {
        JobId jobId = submit();
        worker.publish(started(jobId), succeeded(jobId));
        awaitStatus(jobId, "SUCCEEDED");

        HttpResponse<String> resumed = ApiTestSupport.send(HttpRequest.newBuilder(
                        uri(api, "/api/jobs/" + jobId + "/events"))
                .header("Last-Event-ID", "2").timeout(Duration.ofSeconds(15)).GET().build());

        assertThat(resumed.statusCode()).isEqualTo(200);
        List<SseFrame> frames = SseFrame.parse(resumed.body().lines().toList());
        assertThat(frames).extracting(SseFrame::id).containsExactly("3");
        assertThat(frames).extracting(SseFrame::event).containsExactly("succeeded");

        HttpResponse<String> byQuery = get(api, "/api/jobs/" + jobId + "/events?lastEventId=1");
        assertThat(SseFrame.parse(byQuery.body().lines().toList())).extracting(SseFrame::id)
                .containsExactly("2", "3");
    }

    @Test
    void answersUnknownJobWith404Problem() {
        for (String path : List.of("/api/jobs/" + JobId.random(), "/api/jobs/" + JobId.random() + "/events",
                "/api/jobs/nonsense", "/api/jobs/nonsense/events")) {
            HttpResponse<String> response = get(api, path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        }
    }

    @Test
    void refusesChunkedBodyOverTheLimitWith413() {
        byte[] big = ("{\"type\":\"SUBTOPICS\",\"input\":{\"topic\":\"" + "x".repeat(200_000) + "\"}}").getBytes();
        HttpResponse<String> response = ApiTestSupport.send(HttpRequest.newBuilder(uri(api, "/api/jobs"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))) // chunked
                .build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("status").asInt()).isEqualTo(413);
    }

    @Test
    void exposesReadinessAndMetrics() {
        submit();

        HttpResponse<String> readiness = get(api, "/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(json(readiness).at("/components/jobState/status").asString()).isEqualTo("UP");
        assertThat(get(api, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        String metrics = get(api, "/actuator/prometheus").body();
        assertThat(metrics).contains("genpipe_jobs_submitted_total{").contains("type=\"SUBTOPICS\"");
        assertThat(metrics).contains("genpipe_sse_connections");
    }

    @Test
    void refusesJobsWith503WhenKafkaIsUnreachable() {
        ConfigurableApplicationContext cut = null;
        try {
            cut = startApi("127.0.0.1:" + closedPort(),
                    "spring.kafka.admin.auto-create=false",
                    "genpipe.api.instance-id=unreachable");
            long started = System.nanoTime();

            HttpResponse<String> response = post(cut, SUBTOPICS);

            // genpipe.api.submit-timeout (2s) bounds the whole submit, metadata wait included (it used to take 10 s)
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("503 while Kafka is unreachable after %d ms%n", took.toMillis());
            assertThat(took).as("submit-timeout 2s, plus a loaded machine's margin").isLessThan(Duration.ofMillis(3_500));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(response).get("detail").asString()).contains("retry later")
                    .contains("same Idempotency-Key");
            assertThat(get(cut, "/actuator/health/readiness").statusCode()).isEqualTo(503);
            assertThat(get(cut, "/api/jobs/" + JobId.random()).statusCode()).isEqualTo(503);
        } finally {
            closeQuietly(cut);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // a second instance reading everything: keep it after the others
    void anotherInstanceAnswersForJobsItNeverSaw() {
        JobId jobId = submit();
        worker.publish(started(jobId), succeeded(jobId));
        awaitStatus(jobId, "SUCCEEDED");

        ConfigurableApplicationContext second = null;
        try {
            second = startApi(broker.bootstrapServers(), "genpipe.api.instance-id=second");
            awaitReady(second);
            ConfigurableApplicationContext other = second;

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> response = get(other, "/api/jobs/" + jobId);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(json(response).get("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(json(response).at("/result/subtopics/2").asString()).isEqualTo("Chlorophyll");
            });
        } finally {
            closeQuietly(second);
        }
    }

    private static double openStreams() {
        return json(get(api, "/actuator/metrics/genpipe.sse.connections")).at("/measurements/0/value").asDouble();
    }

    private static JobId submit() {
        HttpResponse<String> accepted = post(api, SUBTOPICS);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return JobId.of(json(accepted).get("jobId").asString());
    }

    private static JsonNode awaitStatus(JobId jobId, String status) {
        return await("job " + jobId + " " + status).atMost(Duration.ofSeconds(15))
                .until(() -> json(get(api, "/api/jobs/" + jobId)), view -> view.get("status").asString().equals(status));
    }

    private static JobStarted started(JobId jobId) {
        return new JobStarted(jobId, Instant.now(), "worker-1");
    }

    private static JobSucceeded succeeded(JobId jobId) {
        return new JobSucceeded(jobId, Instant.now(),
                new JobResult.Subtopics(List.of("Light reactions", "Calvin cycle", "Chlorophyll")),
                false, TokenUsage.of(10, 20), "gemini-test");
    }
}
