package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.GeminiStandIn.ReceivedCall;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Priority lanes on real Kafka, Redis, a worker and the stand-in: bulk work never delays interactive work, and still
 * progresses under a steady interactive load. Judged by counting calls in the order the stand-in received them (and
 * the worker's lane gauges), never by timing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PriorityLanesTest {

    private static final int MAX_IN_FLIGHT = 8;
    private static final int BULK_JOBS = 2000;
    private static final int INTERACTIVE_STREAM = 120;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static GenPipeStack stack;
    private static ApiClient api;
    private static MeterRegistry workerMeters;
    private static final List<String> bulkIds = new ArrayList<>();

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi();
        workerMeters = GenPipeStack.bean(stack.startWorker("lanes-worker",
                "genpipe.worker.max-in-flight=" + MAX_IN_FLIGHT,
                // calls are held at the stand-in while 2,000 jobs are submitted: no timeout, no slow call meanwhile
                "genpipe.gemini.timeout=120", "genpipe.breaker.slow-call-duration=120s"), MeterRegistry.class);
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void anInteractiveJobStartsAtTheFirstFreePlaceWith2000BulkJobsQueued() throws Exception {
        stack.gemini.hold(); // every call waits at the stand-in: the worker's places stay taken until allowed
        bulkIds.addAll(submitAll(BULK_JOBS, i -> """
                {"type":"SUBTOPICS","input":{"topic":"Bulk %s %d","count":2},"priority":"bulk"}""".formatted(RUN, i)));
        await("every place taken by a bulk job").atMost(Duration.ofSeconds(60))
                .until(() -> stack.gemini.inFlight() == MAX_IN_FLIGHT);
        await("bulk records waiting in the worker").atMost(Duration.ofSeconds(30)).until(() -> lane("backlog", "bulk") > 0);
        assertThat(lane("backlog", "bulk")).as("a paused lane holds one fetch at most (max.poll.records)")
                .isLessThanOrEqualTo(500);

        String urgent = api.submitted("""
                {"type":"SUBTOPICS","input":{"topic":"Urgent %s","count":2}}""".formatted(RUN));
        await("the interactive record fetched while the bulk lane is paused").atMost(Duration.ofSeconds(30))
                .until(() -> lane("backlog", "interactive") == 1);
        assertThat(stack.gemini.calls()).as("no place freed yet: nothing else started").isEqualTo(MAX_IN_FLIGHT);

        stack.gemini.allow(1); // one bulk call ends: one place frees up
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.gemini.calls() == MAX_IN_FLIGHT + 1);

        List<ReceivedCall> calls = stack.gemini.received();
        assertThat(calls.subList(0, MAX_IN_FLIGHT)).allMatch(c -> c.prompt().contains("Bulk " + RUN));
        assertThat(calls.get(MAX_IN_FLIGHT).prompt()).as("the first free place goes to the interactive job")
                .contains("Urgent " + RUN);
        assertThat(lane("jobs.in_flight", "interactive")).isEqualTo(1);
        assertThat(lane("jobs.in_flight", "bulk")).isEqualTo(MAX_IN_FLIGHT - 1);

        stack.gemini.latency(Duration.ofMillis(40)).release(); // bulk goes on, 40 ms a call, into the next test
        assertThat(awaitStatus(api, urgent, "SUCCEEDED").get("priority").asString()).isEqualTo("interactive");
        assertThat(api.job(bulkIds.getFirst()).body().get("priority").asString()).isEqualTo("bulk");
    }

    @Test
    @Order(2)
    void bulkKeepsProgressingWhileInteractiveJobsArriveSteadily() throws Exception {
        int before = stack.gemini.calls();
        List<String> stream = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < INTERACTIVE_STREAM; i++) { // a steady stream: one job every 5 ms
                String body = """
                        {"type":"SUBTOPICS","input":{"topic":"Stream %s %d","count":2},"priority":"interactive"}"""
                        .formatted(RUN, i);
                submitted.add(clients.submit(() -> api.submitted(body)));
                Thread.sleep(5);
            }
            for (Future<String> f : submitted) {
                stream.add(f.get());
            }
        }
        for (String id : stream) {
            awaitStatus(api, id, "SUCCEEDED");
        }

        List<ReceivedCall> calls = stack.gemini.received();
        calls = calls.subList(before, calls.size());
        int first = indexOf(calls, "Stream " + RUN, true);
        int last = indexOf(calls, "Stream " + RUN, false);
        long bulkDuringTheStream = calls.subList(first, last + 1).stream()
                .filter(c -> c.prompt().contains("Bulk " + RUN)).count();
        assertThat(bulkDuringTheStream).as("bulk calls between the stream's first and last interactive call")
                .isPositive();

        stack.gemini.latency(Duration.ZERO);
        await("every bulk job called Gemini").atMost(Duration.ofSeconds(90))
                .until(() -> stack.gemini.calls() >= BULK_JOBS + 1 + INTERACTIVE_STREAM);
        for (String id : bulkIds) {
            awaitStatus(api, id, "SUCCEEDED");
        }
        assertThat(stack.gemini.calls()).as("one call per job").isEqualTo(BULK_JOBS + 1 + INTERACTIVE_STREAM);
    }

    private static double lane(String gauge, String lane) {
        return workerMeters.get("genpipe.worker.lane." + gauge).tag("lane", lane).gauge().value();
    }

    private static int indexOf(List<ReceivedCall> calls, String text, boolean first) {
        for (int i = 0; i < calls.size(); i++) {
            int at = first ? i : calls.size() - 1 - i;
            if (calls.get(at).prompt().contains(text)) {
                return at;
            }
        }
        throw new AssertionError("no call for " + text);
    }

    private static List<String> submitAll(int count, java.util.function.IntFunction<String> body) throws Exception {
        Semaphore concurrent = new Semaphore(16);
        List<Future<String>> submitted = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                String json = body.apply(i);
                submitted.add(clients.submit(() -> {
                    concurrent.acquire();
                    try {
                        return api.submitted(json);
                    } finally {
                        concurrent.release();
                    }
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : submitted) {
                ids.add(f.get());
            }
            return ids;
        }
    }
}
