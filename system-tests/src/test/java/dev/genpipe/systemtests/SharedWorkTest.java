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
    void theWorkersShareOneRequestBudget() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3 * REQUESTS_PER_WINDOW; i++) {
            ids.add(api.submitted("""
                    {"type":"SUBTOPICS","input":{"topic":"Budget %s %d"}}""".formatted(run, i)));
        }
        for (String id : ids) {
            awaitStatus(api, id, "SUCCEEDED");
        }

        // any span of the window's length holds at most N calls. The limiter counts at reservation time (Redis clock),
        // the stand-in at arrival: the first calls of a cold worker take a few hundred ms from one to the other, so
        // the spans checked here are 500 ms shorter than the window (without the limiter all 12 calls would arrive
        // within a few ms)
        List<java.time.Instant> arrivals = stack.gemini.received().stream().map(c -> c.at()).sorted().toList();
        assertThat(arrivals).hasSize(3 * REQUESTS_PER_WINDOW);
        for (int i = 0; i < arrivals.size(); i++) {
            java.time.Instant end = arrivals.get(i).plus(Duration.ofMillis(3000 - 500));
            long inSpan = arrivals.subList(i, arrivals.size()).stream().filter(a -> a.isBefore(end)).count();
            assertThat(inSpan).as("Gemini calls of both workers in the 2.5 s after call %d: %s", i, arrivals)
                    .isLessThanOrEqualTo(REQUESTS_PER_WINDOW);
        }
        double waits = workers.stream().mapToDouble(w -> w.getBean(MeterRegistry.class)
                .find("genpipe.limits.waits").counters().stream().mapToDouble(c -> c.count()).sum()).sum();
        assertThat(waits).as("jobs that waited for the next window instead of failing").isPositive();
    }
}
