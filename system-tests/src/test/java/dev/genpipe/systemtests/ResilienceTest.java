package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.GeminiStandIn.Failure;
import dev.genpipe.devstack.GeminiStandIn.ReceivedCall;
import dev.genpipe.worker.breaker.GeminiBreaker;
import dev.genpipe.worker.breaker.GeminiBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Gemini outages, rate limits and bad requests: jobs wait, then complete; nothing is lost or spuriously failed. */
class ResilienceTest {

    private static final int THRESHOLD = 3;

    private static GenPipeStack stack;
    private static ApiClient api;
    private static ConfigurableApplicationContext worker;
    private static GeminiBreaker breaker;

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi();
        worker = stack.startWorker("worker-r",
                "genpipe.breaker.failure-threshold=" + THRESHOLD,
                "genpipe.breaker.recovery-timeout=2",
                "genpipe.breaker.half-open-calls=1",
                "genpipe.worker.max-attempts=4");
        breaker = GenPipeStack.bean(worker, GeminiBreakers.class).primary();
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void healGemini() {
        stack.gemini.reset();
        GenPipeStack.bean(worker, GeminiBreakers.class).reset();
    }

    @Test
    void pausesConsumptionWhileTheBreakerIsOpenAndCompletesEveryJobAfterRecovery() {
        stack.gemini.failAlways(Failure.UNAVAILABLE);
        List<String> firstWave = submit(5, "Outage first wave");
        await().atMost(Duration.ofSeconds(30)).until(() -> breaker.state() == State.OPEN);
        int callsWhenOpened = stack.gemini.calls();
        double probesBefore = halfOpenTransitions();

        List<String> duringOutage = submit(10, "Outage second wave");
        await().atMost(Duration.ofSeconds(30)).until(() -> halfOpenTransitions() >= probesBefore + 2);

        int callsDuringOutage = stack.gemini.calls() - callsWhenOpened;
        int probes = (int) (halfOpenTransitions() - probesBefore) + 1;
        int attemptsDuringOutage = 0;
        for (String id : duringOutage) {
            JsonNode job = api.job(id).body();
            assertThat(job.get("status").asString()).as("job submitted during the outage").isEqualTo("QUEUED");
            attemptsDuringOutage += job.get("attempts").asInt();
        }
        assertThat(attemptsDuringOutage).as("attempts of the jobs submitted during the outage: half-open probes only")
                .isLessThanOrEqualTo(probes);
        assertThat(callsDuringOutage)
                .as("calls while OPEN: only half-open probes (and calls already under way when it opened)")
                .isLessThanOrEqualTo(probes + firstWave.size())
                .isLessThan(firstWave.size() + duringOutage.size());

        stack.gemini.recover();
        Instant recovered = Instant.now();
        List<String> all = new ArrayList<>(firstWave);
        all.addAll(duringOutage);
        Instant lastFinished = recovered;
        for (String id : all) {
            JsonNode job = awaitStatus(api, id, "SUCCEEDED");
            Instant finished = Instant.parse(job.get("finishedAt").asString());
            lastFinished = finished.isAfter(lastFinished) ? finished : lastFinished;
        }
        System.out.printf("outage: %d Gemini calls while the breaker was open (%d half-open windows, %d jobs "
                + "waiting); recovery to last completion %d ms%n", callsDuringOutage, probes, all.size(),
                Duration.between(recovered, lastFinished).toMillis());
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aBadRequestFailsTheJobAtOnceAndLeavesTheBreakerClosed() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < THRESHOLD + 2; i++) {
            ids.add(api.submitted("""
                    {"type":"SUBTOPICS","input":{"topic":"Bad %s [[standin:fail=400]]"}}""".formatted(unique())));
        }
        for (String id : ids) {
            JsonNode job = awaitStatus(api, id, "FAILED");
            assertThat(job.get("error").get("code").asString()).isEqualTo("invalid_request");
            assertThat(job.get("attempts").asInt()).isEqualTo(1);
        }
        assertThat(stack.gemini.calls()).isEqualTo(ids.size());
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void waitsForTheProvidersRetryDelayAfterARateLimit() {
        stack.gemini.retryDelay(Duration.ofSeconds(2)).failNext(1, Failure.RATE_LIMITED);
        String topic = "Rate limited " + unique();

        String id = api.submitted("""
                {"type":"SUBTOPICS","input":{"topic":"%s"}}""".formatted(topic));
        awaitStatus(api, id, "SUCCEEDED");

        List<ReceivedCall> calls = stack.gemini.received().stream().filter(c -> c.prompt().contains(topic)).toList();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).httpStatus()).isEqualTo(429);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at()))
                .as("no call before the retryDelay has passed").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(breaker.state()).as("a rate limit is back-pressure, not an outage").isEqualTo(State.CLOSED);
    }

    private static double halfOpenTransitions() {
        var counter = GenPipeStack.bean(worker, MeterRegistry.class).find("genpipe.breaker.transitions")
                .tag("to", "HALF_OPEN").counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<String> submit(int n, String prefix) {
        List<String> ids = new ArrayList<>();
        String run = unique();
        for (int i = 0; i < n; i++) {
            ids.add(api.submitted("""
                    {"type":"SUBTOPICS","input":{"topic":"%s %s %d"}}""".formatted(prefix, run, i)));
        }
        return ids;
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
