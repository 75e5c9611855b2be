package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.systemtests.ApiClient.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a client of the API asks for beyond submit-and-follow: waiting for the result in the submit call
 * ({@code Prefer: wait}), the original app's synchronous {@code POST /api/create_subtopics}, and the list of its own
 * jobs. Real Kafka, Redis, worker and the SDK against the stand-in; two clients with their own API keys.
 */
class ClientFeaturesTest {

    private static GenPipeStack stack;
    private static ApiClient alice;
    private static ApiClient bob;

    @BeforeAll
    static void startSystem() throws Exception {
        stack = GenPipeStack.start();
        ApiClient api = stack.startApi("genpipe.clients.open-access=false",
                "genpipe.clients.api-keys=" + entry("alice", TestSecrets.ALICE_KEY) + ","
                        + entry("bob", TestSecrets.BOB_KEY));
        stack.startWorker("worker-features");
        alice = api.as(TestSecrets.ALICE_KEY);
        bob = api.as(TestSecrets.BOB_KEY);
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
    void preferWaitAnswersWithTheFinishedJobWhenItEndsInTime() {
        String topic = "Volcanoes " + unique();
        String body = subtopics(topic);
        Response first = submit(alice, body, "wait=20");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Preference-Applied")).isEqualTo("wait=20");
        assertThat(first.body().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(first.body().at("/result/subtopics")).hasSize(5);

        Response hit = submit(alice, body, "respond-async, wait=5");
        assertThat(hit.status()).as("a cache hit in one round trip").isEqualTo(200);
        assertThat(hit.body().get("cached").asBoolean()).isTrue();
        assertThat(stack.gemini.received()).filteredOn(c -> c.prompt().contains(topic)).hasSize(1);
    }

    @Test
    void aJobThatOutlastsTheWaitIsAcceptedAsUsual() {
        stack.gemini.latency(Duration.ofSeconds(4));
        Response slow = submit(alice, subtopics("Glaciers " + unique()), "wait=1");
        assertThat(slow.status()).isEqualTo(202);
        assertThat(slow.header("Preference-Applied")).isEqualTo("wait=1");
        assertThat(slow.location()).startsWith("/api/jobs/");
        awaitStatus(alice, slow.body().get("jobId").asString(), "SUCCEEDED");

        assertThat(submit(alice, subtopics("No wait " + unique()), "wait=abc").status())
                .as("an unreadable preference is ignored").isEqualTo(202);
    }

    @Test
    void theOriginalAppsCreateSubtopicsAnswersSynchronously() {
        Response answer = alice.raw(post("/api/create_subtopics", """
                {"topic":"Photosynthesis %s","count":4}""".formatted(unique())));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("subtopics")).hasSize(4);
        assertThat(answer.body().get("topic").asString()).startsWith("Photosynthesis");
        assertThat(alice.job(answer.body().get("jobId").asString()).body().get("status").asString())
                .isEqualTo("SUCCEEDED");

        Response bad = alice.raw(post("/api/create_subtopics", "{\"count\":4}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        Response failed = alice.raw(post("/api/create_subtopics", """
                {"topic":"Refused %s [[standin:fail=400]]"}""".formatted(unique())));
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.body().get("detail").asString()).contains("invalid_request");
        assertThat(bob.raw(post("/api/create_subtopics", "{\"topic\":\"x\"}").header("X-API-Key", "gpk-nobody"))
                .status()).as("an unknown key").isEqualTo(401);
    }

    @Test
    void myJobsListsMineOnlyNewestFirstAPageAtATime() {
        String run = unique();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(alice.submitted(subtopics("Mine " + run + " " + i)));
        }
        String explanation = alice.submitted("""
                {"type":"EXPLANATION","input":{"topic":"Mine %s","subtopic":"Listing"}}""".formatted(run));
        mine.add(explanation);
        String bobs = bob.submitted(subtopics("Bob's " + run));
        for (String id : mine) {
            awaitStatus(alice, id, "SUCCEEDED");
        }

        List<String> listed = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = list(alice, "limit=4" + (next == null ? "" : "&cursor=" + next));
            page.get("jobs").forEach(job -> listed.add(job.get("jobId").asString()));
            assertThat(page.get("jobs").size()).isLessThanOrEqualTo(4);
            next = page.path("next").isString() ? page.get("next").asString() : null;
            pages++;
        } while (next != null && pages < 20);
        List<String> newestFirst = new ArrayList<>(mine);
        java.util.Collections.reverse(newestFirst);
        assertThat(listed).as("alice's jobs of this test, newest first, each once").containsSubsequence(newestFirst)
                .doesNotHaveDuplicates().doesNotContain(bobs);

        JsonNode explanations = list(alice, "type=explanation&status=SUCCEEDED&limit=100");
        assertThat(explanations.get("jobs")).extracting(j -> j.get("type").asString()).containsOnly("EXPLANATION");
        assertThat(explanations.get("jobs")).extracting(j -> j.get("jobId").asString()).contains(explanation);
        assertThat(list(bob, "limit=100").get("jobs")).extracting(j -> j.get("jobId").asString())
                .contains(bobs).doesNotContainAnyElementsOf(mine);

        assertThat(alice.raw(get("/api/jobs?limit=101")).status()).isEqualTo(400);
        assertThat(alice.raw(get("/api/jobs?status=DONE")).status()).isEqualTo(400);
        assertThat(alice.raw(get("/api/jobs?cursor=not-a-cursor")).status()).isEqualTo(400);
    }

    private static JsonNode list(ApiClient client, String query) {
        Response response = client.raw(get("/api/jobs?" + query));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.body();
    }

    private static Response submit(ApiClient client, String body, String prefer) {
        return client.raw(post("/api/jobs", body).header("Prefer", prefer));
    }

    private static HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(alice.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(alice.baseUrl() + path)).GET();
    }

    private static String subtopics(String topic) {
        return """
                {"type":"SUBTOPICS","input":{"topic":"%s"}}""".formatted(topic);
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String entry(String client, String key) throws Exception {
        return client + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
