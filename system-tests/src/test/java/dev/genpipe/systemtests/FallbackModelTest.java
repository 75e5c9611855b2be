package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.GeminiStandIn.Failure;
import dev.genpipe.worker.breaker.GeminiBreakers;
import dev.genpipe.worker.processing.Consumption;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * GEMINI_FALLBACK_MODEL on the real system: the stand-in fails the primary model only; jobs that allow the fallback
 * complete on it (and say so), jobs that do not wait QUEUED for the primary; the pool view lists both breakers; with
 * both models failing, consumption pauses.
 */
class FallbackModelTest {

    private static final String PRIMARY = "gemini-2.5-flash";
    private static final String FALLBACK = "gemini-2.5-flash-lite";
    private static final String TOKEN = TestSecrets.ADMIN_TOKEN;

    private static GenPipeStack stack;
    private static ApiClient api;
    private static ConfigurableApplicationContext worker;
    private static GeminiBreakers breakers;

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi("genpipe.api.admin-token=" + TOKEN);
        worker = stack.startWorker("worker-f",
                "genpipe.gemini.model=" + PRIMARY,
                "genpipe.gemini.fallback-model=" + FALLBACK,
                "genpipe.gemini.allow-fallback=true",
                "genpipe.breaker.failure-threshold=2",
                "genpipe.worker.max-attempts=8", // a job's failures on both models count
                "genpipe.breaker.recovery-timeout=600", // only the reset closes a breaker within this test
                "genpipe.breaker.first-recovery-timeout=600",
                "genpipe.pool.heartbeat=1s");
        breakers = GenPipeStack.bean(worker, GeminiBreakers.class);
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void heal() {
        stack.gemini.reset();
        breakers.reset();
    }

    @Test
    void anOutageOfThePrimaryMovesTheJobsThatAllowItToTheFallback() {
        stack.gemini.failModel(PRIMARY, Failure.UNAVAILABLE);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> allowing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            allowing.add(api.submitted(subtopics("Outage " + run + " " + i, null)));
        }
        String strict = api.submitted(subtopics("Strict " + run, false));

        for (String id : allowing) {
            assertThat(awaitStatus(api, id, "SUCCEEDED").get("model").asString()).isEqualTo(FALLBACK);
        }
        assertThat(breakers.primary().state()).isEqualTo(State.OPEN);
        assertThat(breakers.fallback().orElseThrow().state()).isEqualTo(State.CLOSED);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                api.job(strict).body().get("status").asString().equals("QUEUED"));
        assertThat(calls(PRIMARY, "Strict " + run)).as("the strict job waits for the primary without calls")
                .isLessThanOrEqualTo(2);
        assertThat(calls(FALLBACK, "Strict " + run)).as("and never reaches the fallback").isZero();
        assertThat(GenPipeStack.bean(worker, Consumption.class).isPaused()).as("the fallback is up").isFalse();

        JsonNode pool = await().atMost(Duration.ofSeconds(30)).until(this::poolState,
                p -> p.get("models").size() == 2 && p.get("models").get(0).get("state").asString().equals("open"));
        assertThat(pool.get("models").get(0).get("model").asString()).isEqualTo(PRIMARY);
        assertThat(pool.get("models").get(1).get("model").asString()).isEqualTo(FALLBACK);
        assertThat(pool.get("models").get(1).get("state").asString()).isEqualTo("closed");
        assertThat(pool.get("state").asString()).as("the primary's, as before").isEqualTo("open");
        JsonNode breakersOfWorker = pool.get("workers").get(0).get("breakers");
        assertThat(breakersOfWorker).hasSize(2);
        assertThat(breakersOfWorker.get(1).get("model").asString()).isEqualTo(FALLBACK);

        stack.gemini.recover();
        assertThat(api.admin("POST", "/api/circuit-breaker/reset", TOKEN).status()).isEqualTo(202);
        assertThat(awaitStatus(api, strict, "SUCCEEDED").get("model").asString()).isEqualTo(PRIMARY);
        await().atMost(Duration.ofSeconds(30)).until(() -> poolState().get("models").get(0).get("state")
                .asString().equals("closed"));

        // the fallback's answer is cached under the fallback's key: a later request gets the primary's
        JsonNode again = awaitStatus(api, api.submitted(subtopics("Outage " + run + " 0", false)), "SUCCEEDED");
        assertThat(again.get("model").asString()).isEqualTo(PRIMARY);
        assertThat(again.get("cached").asBoolean()).isFalse();
    }

    @Test
    void aSpentDailyQuotaOfThePrimaryOpensItsBreakerAtOnce() {
        for (Failure quota : List.of(Failure.DAILY_QUOTA, Failure.QUOTA_NO_DELAY)) {
            breakers.reset();
            stack.gemini.recover().failModel(PRIMARY, quota);
            String topic = "Quota " + quota + " " + UUID.randomUUID();

            JsonNode job = awaitStatus(api, api.submitted(subtopics(topic, true)), "SUCCEEDED");

            assertThat(job.get("model").asString()).as(quota.name()).isEqualTo(FALLBACK);
            assertThat(calls(PRIMARY, topic)).as("one 429 of %s opens the primary's breaker", quota).isEqualTo(1);
            assertThat(breakers.primary().state()).isEqualTo(State.OPEN);
        }
    }

    @Test
    void withBothModelsFailingConsumptionPauses() {
        stack.gemini.failAlways(Failure.UNAVAILABLE);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(api.submitted(subtopics("Both down " + run + " " + i, true)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> breakers.all().stream()
                .allMatch(b -> b.state() == State.OPEN));
        Consumption consumption = GenPipeStack.bean(worker, Consumption.class);
        assertThat(consumption.isPaused()).isTrue();
        String later = api.submitted(subtopics("Both down later " + run, true));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                api.job(later).body().get("status").asString().equals("QUEUED"));
        assertThat(api.job(later).body().get("attempts").asInt()).as("consumed by nobody").isZero();

        stack.gemini.recover();
        breakers.reset();
        ids.add(later);
        for (String id : ids) {
            assertThat(awaitStatus(api, id, "SUCCEEDED").get("model").asString()).isEqualTo(PRIMARY);
        }
    }

    private static String subtopics(String topic, Boolean allowFallback) {
        return """
                {"type":"SUBTOPICS","input":{"topic":"%s"}%s}""".formatted(topic,
                allowFallback == null ? "" : ",\"allowFallback\":" + allowFallback);
    }

    private static long calls(String model, String topic) {
        return stack.gemini.received().stream()
                .filter(c -> c.model().equals(model) && c.prompt().contains(topic)).count();
    }

    private JsonNode poolState() {
        return api.admin("GET", "/api/circuit-breaker/state", TOKEN).body();
    }
}
