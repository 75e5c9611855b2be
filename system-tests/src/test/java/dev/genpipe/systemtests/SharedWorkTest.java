package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Two workers share Redis: identical work is done once. */
class SharedWorkTest {

    private static final int REQUESTS_PER_WINDOW = 4;
    private static final String LIMIT = "genpipe.limits.requests-per-window=" + REQUESTS_PER_WINDOW;
    private static final String WINDOW = "genpipe.limits.window=3s";

    private static GenPipeStack stack;
    private static ApiClient api;
    private static final List<ConfigurableApplicationContext> workers = new ArrayList<>();

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi();
        workers.add(stack.startWorker("worker-a", LIMIT, WINDOW));
        workers.add(stack.startWorker("worker-b", LIMIT, WINDOW));
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
    void identicalJobsInFlightTogetherCostOneGeminiCall() throws Exception {
        stack.gemini.latency(Duration.ofSeconds(1));
        String body = """
                {"type":"EXPLANATION","input":{"topic":"Tides %s","subtopic":"The Moon","level":"beginner"}}"""
                .formatted(UUID.randomUUID());
        List<String> ids = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                submitted.add(clients.submit(() -> api.submitted(body)));
            }
            for (Future<String> f : submitted) {
                ids.add(f.get());
            }
        }

        int cached = 0;
        String markdown = null;
        for (String id : ids) {
            JsonNode job = awaitStatus(api, id, "SUCCEEDED");
            cached += job.get("cached").asBoolean() ? 1 : 0;
            String text = job.get("result").get("markdown").asString();
            assertThat(markdown == null || markdown.equals(text)).isTrue();
            markdown = text;
        }
        assertThat(stack.gemini.calls()).isEqualTo(1);
        assertThat(cached).isEqualTo(49);
    }

    @Test
    void theWorkersShareOneRequestBudget() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // the limiter's own log (a sorted set scored by Redis's clock), read while the jobs run: every reservation
        // with the time Redis gave it, whatever the delays between a reservation and its call
        org.redisson.api.RScoredSortedSet<String> log = GenPipeStack.bean(workers.getFirst(),
                org.redisson.api.RedissonClient.class).getScoredSortedSet("genpipe:limit:requests",
                org.redisson.client.codec.StringCodec.INSTANCE);
        java.util.Map<String, Double> reservations = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        Runnable read = () -> log.entryRange(0, -1).forEach(e ->
                reservations.putIfAbsent(e.getValue().split(":")[0], e.getScore()));
        // entries live a whole window (3 s) in the log: reading it every 100 ms, and once more at the end, sees each
        watcher.scheduleWithFixedDelay(read, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 3 * REQUESTS_PER_WINDOW; i++) {
                ids.add(api.submitted("""
                        {"type":"SUBTOPICS","input":{"topic":"Budget %s %d"}}""".formatted(run, i)));
            }
            for (String id : ids) {
                awaitStatus(api, id, "SUCCEEDED");
            }
        } finally {
            watcher.shutdown();
            assertThat(watcher.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        read.run(); // the last reservations are still in their window

        assertThat(stack.gemini.calls()).isEqualTo(3 * REQUESTS_PER_WINDOW);
        assertThat(reservations).as("one reservation per call").hasSize(3 * REQUESTS_PER_WINDOW);
        // in no window of the budget's length (on Redis's clock) more than N reservations, over both workers
        List<Double> times = reservations.values().stream().sorted().toList();
        for (int i = 0; i < times.size(); i++) {
            double end = times.get(i) + 3000;
            long inWindow = times.subList(i, times.size()).stream().filter(t -> t < end).count();
            assertThat(inWindow).as("reservations in the 3 s from reservation %d: %s", i, times)
                    .isLessThanOrEqualTo(REQUESTS_PER_WINDOW);
        }
        double waits = workers.stream().mapToDouble(w -> w.getBean(MeterRegistry.class)
                .find("genpipe.limits.waits").counters().stream().mapToDouble(c -> c.count()).sum()).sum();
        assertThat(waits).as("jobs that waited for the next window instead of failing").isPositive();
    }
}
