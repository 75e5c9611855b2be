package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.GeminiStandIn.ReceivedCall;
import dev.genpipe.systemtests.ApiClient.Response;
import dev.genpipe.systemtests.ApiClient.SseEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Presentations: subtopics, then one section job per subtopic across the pool (fan-out), assembled by the API's
 * Kafka Streams fan-in; streamed live, resumable on any API instance, cancellable. Workers take at most
 * {@value #IN_FLIGHT} jobs at once here, so the effect of a second worker shows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PresentationTest {

    private static final int IN_FLIGHT = 4;
    private static final Duration LATENCY = Duration.ofMillis(800);

    private static GenPipeStack stack;
    private static ApiClient api;

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi();
        stack.startWorker("worker-p1", "genpipe.worker.max-in-flight=" + IN_FLIGHT);
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
        stack.gemini.latency(LATENCY);
    }

    @Test
    @Order(1)
    void aPresentationFansOutStreamsEachSectionAndAssemblesThemInOrder() {
        long oneWorker = timedPresentation("one worker");
        ConfigurableApplicationContext second = stack.startWorker("worker-p2", "genpipe.worker.max-in-flight="
                + IN_FLIGHT);
        await().atMost(Duration.ofSeconds(30)).until(() -> second.isRunning());
        awaitBothWorkersConsume();
        stack.gemini.reset();
        stack.gemini.latency(LATENCY);
        long twoWorkers = timedPresentation("two workers");
        // sections are keyed by their request fingerprint, so which worker's partitions they land on is chance
        // (all 8 on one worker's partitions: a few per cent); a few presentations make "both took sections" certain
        for (int run = 0; run < 5 && lastSectionWorkers.size() < 2; run++) {
            timedPresentation("two workers, again");
        }
        System.out.printf("presentation of 8 sections, stand-in latency %d ms (9 calls, %d ms one after another): "
                + "%d ms with one worker, %d ms with two (%d jobs in flight per worker)%n", LATENCY.toMillis(),
                9 * LATENCY.toMillis(), oneWorker, twoWorkers, IN_FLIGHT);
        // the second worker takes sections: a count, not a timing (each worker holds at most IN_FLIGHT at once)
        assertThat(lastSectionWorkers).as("workers that ran the sections").containsExactlyInAnyOrder("worker-p1",
                "worker-p2");
    }

    private java.util.Set<String> lastSectionWorkers = java.util.Set.of();

    /** Until the consumer group has both workers, each with partitions of genpipe.jobs. */
    private static void awaitBothWorkersConsume() {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafka.bootstrapServers()))) {
            await("both workers own partitions").atMost(Duration.ofSeconds(60)).until(() -> {
                var group = admin.describeConsumerGroups(List.of("genpipe-workers")).all().get().get("genpipe-workers");
                return group.members().size() == 2
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    private long timedPresentation(String label) {
        String topic = "Tides " + unique();
        long start = System.nanoTime();
        String id = api.submitted("""
                {"type":"PRESENTATION","input":{"topic":"%s","sections":8}}""".formatted(topic));

        List<SseEvent> events = api.events(id, null, Duration.ofSeconds(90));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        List<String> kinds = events.stream().map(SseEvent::event).toList();
        assertThat(kinds).as(label).startsWith("queued", "started", "planned").endsWith("succeeded");
        assertThat(kinds.stream().filter("section"::equals).count()).isEqualTo(8);
        assertThat(kinds.indexOf("planned")).isLessThan(kinds.indexOf("section"));
        SseEvent planned = events.get(kinds.indexOf("planned"));
        assertThat(planned.data().get("subtopics")).hasSize(8);
        List<Integer> completed = events.stream().filter(e -> e.event().equals("section"))
                .map(e -> e.data().get("completed").asInt()).toList();
        assertThat(completed).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(events.stream().filter(e -> e.event().equals("section"))
                .map(e -> e.data().get("total").asInt())).containsOnly(8);
        JsonNode result = events.getLast().data().get("result");
        assertThat(result.get("kind").asString()).isEqualTo("presentation");
        List<JsonNode> sections = new ArrayList<>();
        result.get("sections").forEach(sections::add);
        assertThat(sections).extracting(s -> s.get("index").asInt()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        for (int i = 0; i < 8; i++) {
            assertThat(sections.get(i).get("subtopic").asString())
                    .isEqualTo(planned.data().get("subtopics").get(i).asString());
            assertThat(sections.get(i).get("markdown").asString()).contains(sections.get(i).get("subtopic").asString());
        }
        assertThat(stack.gemini.peakConcurrency()).as("sections run in parallel").isGreaterThan(1);
        java.util.Set<String> workers = new java.util.TreeSet<>();
        planned.data().get("sections").forEach(section -> api.events(section.asString(), null, Duration.ofSeconds(30))
                .stream().filter(e -> e.event().equals("started"))
                .forEach(e -> workers.add(e.data().get("workerId").asString())));
        lastSectionWorkers = workers;
        return millis;
    }

    @Test
    @Order(2)
    void anExplanationStreamsDeltasBeforeItCompletes() {
        String id = api.submitted("""
                {"type":"EXPLANATION","input":{"topic":"Comets %s","subtopic":"Tails"}}""".formatted(unique()));

        List<SseEvent> events = api.events(id, null, Duration.ofSeconds(60));

        List<String> kinds = events.stream().map(SseEvent::event).toList();
        assertThat(kinds.stream().filter("delta"::equals).count()).isGreaterThan(1);
        assertThat(kinds.indexOf("delta")).isLessThan(kinds.indexOf("succeeded"));
        int lastStart = kinds.lastIndexOf("started");
        String streamed = events.subList(lastStart, events.size()).stream().filter(e -> e.event().equals("delta"))
                .map(e -> e.data().get("text").asString()).reduce("", String::concat);
        assertThat(streamed.strip()).isEqualTo(events.getLast().data().get("result").get("markdown").asString());
    }

    @Test
    @Order(3)
    void aClientResumingOnAnotherApiInstanceMissesNothingAndGetsNothingTwice() {
        ApiClient other = stack.startApi();
        String id = api.submitted("""
                {"type":"PRESENTATION","input":{"topic":"Glaciers %s","sections":6}}""".formatted(unique()));

        List<SseEvent> before = api.firstEvents(id, 4, Duration.ofSeconds(60));
        List<SseEvent> after = other.events(id, before.getLast().id(), Duration.ofSeconds(90));

        List<SseEvent> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(all).extracting(e -> Long.parseLong(e.id()))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, all.size()).boxed().toList());
        assertThat(all.getLast().event()).isEqualTo("succeeded");
        assertThat(api.events(id, null, Duration.ofSeconds(30))).as("the whole history, afterwards")
                .extracting(SseEvent::event).containsExactlyElementsOf(all.stream().map(SseEvent::event).toList());
    }

    @Test
    @Order(4)
    void aFailingSectionIsMarkedAndThePresentationStillCompletes() {
        String id = api.submitted("""
                {"type":"PRESENTATION","input":{"topic":"Volcanoes %s [[standin:failsub=History]]","sections":4}}"""
                .formatted(unique()));

        JsonNode job = awaitStatus(api, id, "SUCCEEDED");

        JsonNode result = job.get("result");
        assertThat(result.get("failedSections").asInt()).isEqualTo(1);
        JsonNode failed = result.get("sections").get(1);
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        assertThat(failed.get("error").asString()).contains("invalid_request");
        assertThat(result.get("sections").get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        List<SseEvent> events = api.events(id, null, Duration.ofSeconds(30));
        assertThat(events.stream().filter(e -> e.event().equals("section"))
                .anyMatch(e -> e.data().get("section").get("status").asString().equals("FAILED"))).isTrue();
    }

    @Test
    @Order(5)
    void cancellingAPresentationStartsNoFurtherSections() {
        // every Gemini call is held at the stand-in, so what is under way at the cancel is known exactly
        stack.gemini.hold();
        double read = cancellationsRead();
        String id;
        int underWay;
        try {
            // 12 sections: more than both workers take at once (IN_FLIGHT each), so some are still waiting
            id = api.submitted("""
                    {"type":"PRESENTATION","input":{"topic":"Deserts %s","sections":12}}""".formatted(unique()));
            await().atMost(Duration.ofSeconds(30)).until(() -> stack.gemini.inFlight() == 1); // its subtopics
            stack.gemini.allow(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> api.job(id).body().at("/progress/total").asInt() == 12);
            await().atMost(Duration.ofSeconds(30)).until(() -> stack.gemini.inFlight() >= 1); // sections under way

            Response cancel = api.raw(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/jobs/" + id)).DELETE());
            assertThat(cancel.status()).isEqualTo(202);
            // a worker starts no section after it has read the cancellation; wait until both have
            int workers = stack.workers().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> cancellationsRead() >= read + workers);
            underWay = stack.gemini.calls();
        } finally {
            stack.gemini.release();
        }
        List<SseEvent> events = api.events(id, null, Duration.ofSeconds(30));
        assertThat(events.getLast().event()).isEqualTo("cancelled");
        assertThat(api.job(id).body().get("status").asString()).isEqualTo("CANCELLED");
        // the calls under way end; the sections still waiting are taken, skipped and committed past
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.gemini.inFlight() == 0 && workersCaughtUp());
        assertThat(stack.gemini.calls()).as("Gemini calls: the subtopics and the sections under way at the cancel")
                .isEqualTo(underWay).isLessThan(13);
    }

    /** Cancellations read, summed over the running workers. */
    private static double cancellationsRead() {
        return stack.workers().stream().mapToDouble(w -> GenPipeStack.bean(w,
                io.micrometer.core.instrument.MeterRegistry.class).get("genpipe.cancellations.read")
                .functionCounter().count()).sum();
    }

    /** The workers' group has committed every record of genpipe.jobs. */
    private static boolean workersCaughtUp() throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafka.bootstrapServers()))) {
            var committed = admin.listConsumerGroupOffsets("genpipe-workers").partitionsToOffsetAndMetadata().get();
            var ends = admin.listOffsets(committed.keySet().stream().collect(java.util.stream.Collectors.toMap(
                    p -> p, p -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
            return !committed.isEmpty() && committed.entrySet().stream()
                    .allMatch(e -> e.getValue().offset() >= ends.get(e.getKey()).offset());
        }
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
