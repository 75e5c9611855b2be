package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.GeminiStandIn.Failure;
import dev.genpipe.devstack.IdleClosingProxy;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Blips must not stall the pool: servers close idle connections on their own schedule (here a proxy in front of the
 * stand-in closes them after 2 s), and a short outage must cost seconds, not the breaker's full recovery timeout.
 * The worker runs with the default breaker settings (5 failures open it, 2 s first wait, 60 s longest).
 */
class TransientFaultsTest {

    private static GenPipeStack stack;
    private static IdleClosingProxy proxy;
    private static ApiClient api;
    private static ConfigurableApplicationContext worker;
    private static GeminiBreaker breaker;

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        proxy = IdleClosingProxy.start(stack.gemini.port(), Duration.ofSeconds(2));
        api = stack.startApi();
        worker = stack.startWorker("worker-blips", "genpipe.gemini.base-url=" + proxy.baseUrl());
        breaker = GenPipeStack.bean(worker, GeminiBreakers.class).primary();
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void connectionsTheServerClosedWhileIdleCostNoFailedCall() {
        stack.gemini.reset();
        double retriesBefore = retries();
        for (String id : submit(8, "Warm")) {
            awaitStatus(api, id, "SUCCEEDED");
        }
        // the worker's pooled connections sit idle until the server side has closed them
        int closedBefore = proxy.closedIdle();
        await("the proxy closed idle connections").atMost(Duration.ofSeconds(30))
                .until(() -> proxy.closedIdle() > closedBefore);

        List<String> afterIdle = submit(20, "After idle");
        for (String id : afterIdle) {
            JsonNode job = awaitStatus(api, id, "SUCCEEDED");
            assertThat(job.get("attempts").asInt()).as("attempts of job %s", id).isEqualTo(1);
        }
        assertThat(stack.gemini.received()).as("every call answered 200").allMatch(c -> c.httpStatus() == 200);
        assertThat(stack.gemini.calls()).isEqualTo(28);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(retries()).as("jobs retried").isEqualTo(retriesBefore);
    }

    private static double retries() {
        return GenPipeStack.bean(worker, MeterRegistry.class).find("genpipe.jobs.retries").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aOneSecondOutageCostsSecondsNotTheRecoveryTimeout() {
        stack.gemini.reset();
        stack.gemini.failAlways(Failure.UNAVAILABLE);
        List<String> ids = new ArrayList<>(submit(6, "Blip"));
        await().atMost(Duration.ofSeconds(30)).until(() -> breaker.state() == State.OPEN);
        Instant opened = Instant.now();
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true); // a 1 s outage
        stack.gemini.recover();

        // the first wait in OPEN is 2 s, not the 60 s recovery timeout: a probe succeeds and the breaker closes
        await("consumption resumes within seconds").atMost(Duration.ofSeconds(10))
                .until(() -> breaker.state() == State.CLOSED);
        Duration stalled = Duration.between(opened, Instant.now());
        ids.addAll(submit(4, "After blip"));
        for (String id : ids) {
            awaitStatus(api, id, "SUCCEEDED");
        }
        System.out.printf("a 1 s Gemini outage: breaker open for %d ms, then every job completed%n",
                stalled.toMillis());
    }

    private static List<String> submit(int n, String prefix) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(api.submitted("""
                    {"type":"SUBTOPICS","input":{"topic":"%s %s %d"}}""".formatted(prefix, run, i)));
        }
        return ids;
    }
}
