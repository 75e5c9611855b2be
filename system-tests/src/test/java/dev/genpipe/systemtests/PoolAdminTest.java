package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.GeminiStandIn.Failure;
import dev.genpipe.systemtests.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Operators see every worker's breaker through the API, and one reset reaches every worker. */
class PoolAdminTest {

    private static final String TOKEN = TestSecrets.ADMIN_TOKEN;
    private static final String[] WORKER = {
            "genpipe.breaker.failure-threshold=2",
            "genpipe.breaker.recovery-timeout=600", // only the reset can close it within this test
            "genpipe.breaker.first-recovery-timeout=600",
            "genpipe.pool.heartbeat=1s"};

    private static GenPipeStack stack;
    private static ApiClient api;

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi("genpipe.api.admin-token=" + TOKEN);
        workers.add(stack.startWorker("worker-1", WORKER));
        workers.add(stack.startWorker("worker-2", WORKER));
    }

    private static final java.util.List<org.springframework.context.ConfigurableApplicationContext> workers =
            new java.util.ArrayList<>();

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void adminEndpointsRefuseWithoutTheToken() {
        assertThat(api.admin("GET", "/api/circuit-breaker/state", null).status()).isEqualTo(401);
        assertThat(api.admin("GET", "/api/circuit-breaker/state", "wrong").status()).isEqualTo(403);
        assertThat(api.admin("POST", "/api/circuit-breaker/reset", null).status()).isEqualTo(401);
        assertThat(api.admin("POST", "/api/circuit-breaker/reset", "wrong").status()).isEqualTo(403);
        assertThat(api.admin("POST", "/api/cache/clear", null).status()).isEqualTo(401);
    }

    @Test
    void listsEveryWorkersBreakerAndOneResetClosesThemAll() {
        await().atMost(Duration.ofSeconds(30)).until(() -> poolState().get("workers").size() == 2);
        assertThat(poolState().get("state").asString()).isEqualTo("closed");

        stack.gemini.failAlways(Failure.UNAVAILABLE);
        List<String> ids = new ArrayList<>();
        // four jobs on every partition of genpipe.jobs, whichever worker owns it: both breakers see failures
        for (String topic : topicsOnEveryPartition(4)) {
            ids.add(api.submitted("""
                    {"type":"SUBTOPICS","input":{"topic":"%s"}}""".formatted(topic)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> poolState().get("state").asString().equals("open"));
        JsonNode open = poolState();
        assertThat(open.get("workers")).allSatisfy(w -> {
            assertThat(w.get("state").asString()).isEqualTo("open");
            assertThat(w.get("paused").asBoolean()).isTrue();
        });

        stack.gemini.recover();
        Response reset = api.admin("POST", "/api/circuit-breaker/reset", TOKEN);

        assertThat(reset.status()).isEqualTo(202);
        assertThat(reset.body().get("workers")).hasSize(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> poolState().get("state").asString().equals("closed"));
        for (String id : ids) {
            awaitStatus(api, id, "SUCCEEDED");
        }
    }

    @Test
    void clearingTheCacheReachesEveryWorker() {
        String body = """
                {"type":"SUBTOPICS","input":{"topic":"Cleared %s"}}""".formatted(UUID.randomUUID());
        awaitStatus(api, api.submitted(body), "SUCCEEDED");
        assertThat(awaitStatus(api, api.submitted(body), "SUCCEEDED").get("cached").asBoolean()).isTrue();

        Response cleared = api.admin("POST", "/api/cache/clear", TOKEN);

        assertThat(cleared.status()).isEqualTo(202);
        // each worker carried the command out (the Redis keys are shared, each worker's in-memory fallback is not)
        for (org.springframework.context.ConfigurableApplicationContext worker : workers) {
            io.micrometer.core.instrument.MeterRegistry meters = GenPipeStack.bean(worker,
                    io.micrometer.core.instrument.MeterRegistry.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> meters.get("genpipe.cache.clears").counter().count() == 1);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(awaitStatus(api, api.submitted(body), "SUCCEEDED").get("cached").asBoolean())
                        .as("the same request after the clear is computed again").isFalse());
    }

    /** Topics whose SUBTOPICS requests land {@code each} on every partition (the producer's key partitioning). */
    private static List<String> topicsOnEveryPartition(int each) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int[] found = new int[GenPipeStack.PARTITIONS];
        List<String> topics = new ArrayList<>();
        for (int i = 0; topics.size() < each * GenPipeStack.PARTITIONS; i++) {
            String topic = "Pool " + run + " " + i;
            String key = dev.genpipe.common.job.JobRequested.fingerprint(new dev.genpipe.common.job.SubtopicsInput(topic));
            int partition = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                    key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % GenPipeStack.PARTITIONS;
            if (found[partition] < each) {
                found[partition]++;
                topics.add(topic);
            }
        }
        return topics;
    }

    private static JsonNode poolState() {
        Response response = api.admin("GET", "/api/circuit-breaker/state", TOKEN);
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }
}
