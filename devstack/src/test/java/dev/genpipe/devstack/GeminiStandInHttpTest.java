package dev.genpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.devstack.GeminiStandIn.Failure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The stand-in over plain HTTP: the admin API, authentication, routing and parallelism. */
class GeminiStandInHttpTest {

    private static final String BODY = """
            {"contents":[{"role":"user","parts":[{"text":"<topic>Tides</topic>"}]}]}""";

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private GeminiStandIn standIn;

    @BeforeEach
    void start() {
        standIn = GeminiStandIn.start();
    }

    @AfterEach
    void stop() {
        standIn.close();
        http.close();
    }

    @Test
    void adminConfigDrivesFailuresAndLatency() throws Exception {
        JsonNode configured = admin("POST", "/standin/config",
                "{\"latencyMs\":200,\"failure\":\"UNAVAILABLE\",\"failCount\":2,\"retryDelaySeconds\":5}");
        assertThat(configured.path("latencyMs").asLong()).isEqualTo(200);
        assertThat(configured.path("failure").asString()).isEqualTo("UNAVAILABLE");
        assertThat(configured.path("failRemaining").asInt()).isEqualTo(2);
        assertThat(configured.path("retryDelaySeconds").asInt()).isEqualTo(5);

        assertThat(generate("v1", "gemini-2.5-flash", "k").statusCode()).isEqualTo(503);
        assertThat(generate("v1", "gemini-2.5-flash", "k").statusCode()).isEqualTo(503);
        assertThat(generate("v1", "gemini-2.5-flash", "k").statusCode()).isEqualTo(200);

        JsonNode stats = admin("GET", "/standin/stats", null);
        assertThat(stats.path("calls").asInt()).isEqualTo(3);
        assertThat(stats.path("failure").isNull()).isTrue();
    }

    @Test
    void adminConfigWithoutCountFailsUntilFailureNull() throws Exception {
        admin("POST", "/standin/config", "{\"failure\":\"rate_limited\"}");
        HttpResponse<String> limited = generate("v1beta", "gemini-2.5-pro", "k");
        assertThat(limited.statusCode()).isEqualTo(429);
        JsonNode error = mapper.readTree(limited.body()).path("error");
        assertThat(error.path("status").asString()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.path("details").get(0).path("violations").get(0).path("quotaDimensions").path("model")
                .asString()).isEqualTo("gemini-2.5-pro");
        assertThat(error.path("details").get(1).path("retryDelay").asString()).isEqualTo("2s");
        assertThat(generate("v1", "m", "k").statusCode()).isEqualTo(429);

        admin("POST", "/standin/config", "{\"failure\":null}");

        assertThat(generate("v1", "m", "k").statusCode()).isEqualTo(200);
    }

    @Test
    void aModelFailsAloneInGeminisShapesOfASpentDailyQuota() throws Exception {
        JsonNode configured = admin("POST", "/standin/config",
                "{\"failModel\":\"gemini-2.5-flash\",\"failure\":\"DAILY_QUOTA\"}");
        assertThat(configured.path("modelFailures").path("gemini-2.5-flash").asString()).isEqualTo("DAILY_QUOTA");

        HttpResponse<String> spent = generate("v1beta", "gemini-2.5-flash", "k");
        assertThat(spent.statusCode()).isEqualTo(429);
        JsonNode error = mapper.readTree(spent.body()).path("error");
        assertThat(error.path("message").asString()).startsWith("You exceeded your current quota")
                .doesNotContain("PerDay").contains("Please retry in 13s.");
        assertThat(error.path("details").get(0).path("@type").asString()).endsWith("google.rpc.QuotaFailure");
        assertThat(error.path("details").get(0).path("violations").get(0).path("quotaId").asString())
                .isEqualTo("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
        assertThat(generate("v1beta", "gemini-2.5-flash-lite", "k").statusCode()).as("another model").isEqualTo(200);

        standIn.failModel("gemini-2.5-flash", Failure.QUOTA_NO_DELAY);
        JsonNode plain = mapper.readTree(generate("v1beta", "gemini-2.5-flash", "k").body()).path("error");
        assertThat(plain.path("message").asString()).startsWith("You exceeded your current quota, please check your "
                + "plan and billing details").doesNotContain("retry");
        assertThat(plain.has("details")).isFalse();

        admin("POST", "/standin/config", "{\"failModel\":\"gemini-2.5-flash\",\"failure\":null}");
        assertThat(generate("v1beta", "gemini-2.5-flash", "k").statusCode()).isEqualTo(200);
    }

    @Test
    void adminResetAndBadConfig() throws Exception {
        standIn.latency(Duration.ofMillis(50)).failAlways(Failure.SERVER_ERROR);
        generate("v1", "m", "k");

        JsonNode reset = admin("POST", "/standin/reset", null);

        assertThat(reset.path("calls").asInt()).isZero();
        assertThat(reset.path("latencyMs").asInt()).isZero();
        assertThat(reset.path("failure").isNull()).isTrue();
        HttpResponse<String> bad = send("POST", "/standin/config", "{\"failure\":\"NOPE\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("NOPE");
    }

    @Test
    void missingApiKeyIsUnauthenticated() throws Exception {
        HttpResponse<String> response = generate("v1", "gemini-2.5-flash", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(mapper.readTree(response.body()).path("error").path("status").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(standIn.received()).extracting(GeminiStandIn.ReceivedCall::httpStatus).containsExactly(401);
    }

    @Test
    void unknownPathsAndBadJsonAreGoogleErrors() throws Exception {
        HttpResponse<String> unknown = send("POST", "/v1/models/m:countTokens", BODY);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"status\":\"NOT_FOUND\"");

        HttpResponse<String> badJson = http.send(request("/v1/models/m:generateContent", "k")
                .POST(BodyPublishers.ofString("{not json")).build(), BodyHandlers.ofString());
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).contains("INVALID_ARGUMENT");
    }

    @Test
    void streamFramesAreServerSentEvents() throws Exception {
        HttpResponse<String> response = http.send(request("/v1/models/m:streamGenerateContent?alt=sse", "k")
                .POST(BodyPublishers.ofString(BODY)).build(), BodyHandlers.ofString());

        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
        String[] frames = response.body().split("\r\n\r\n");
        assertThat(frames).hasSizeGreaterThanOrEqualTo(4).allMatch(frame -> frame.startsWith("data: {"));
        JsonNode last = mapper.readTree(frames[frames.length - 1].substring("data: ".length()));
        assertThat(last.path("candidates").get(0).path("finishReason").asString()).isEqualTo("STOP");
        assertThat(last.path("usageMetadata").path("totalTokenCount").asInt()).isPositive();
    }

    @Test
    void servesHundredsOfSlowCallsInParallel() {
        // held until all 300 are in: a count of calls being served at once, not a race against the machine
        standIn.hold();
        List<CompletableFuture<HttpResponse<String>>> calls;
        try {
            calls = IntStream.range(0, 300)
                    .mapToObj(i -> http.sendAsync(request("/v1/models/m:generateContent", "k")
                            .POST(BodyPublishers.ofString(BODY)).build(), BodyHandlers.ofString()))
                    .toList();
            org.awaitility.Awaitility.await("300 calls held at once").atMost(Duration.ofSeconds(60))
                    .until(() -> standIn.inFlight() == 300);
        } finally {
            standIn.release();
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

        assertThat(calls).allSatisfy(call -> assertThat(call.join().statusCode()).isEqualTo(200));
        assertThat(standIn.calls()).isEqualTo(300);
        assertThat(standIn.peakConcurrency()).as("calls answered at the same time").isEqualTo(300);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> standIn.inFlight() == 0);
    }

    private HttpResponse<String> generate(String version, String model, String apiKey)
            throws IOException, InterruptedException {
        return http.send(request("/" + version + "/models/" + model + ":generateContent", apiKey)
                .POST(BodyPublishers.ofString(BODY)).build(), BodyHandlers.ofString());
    }

    private JsonNode admin(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return mapper.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body);
        return http.send(request(path, null).method(method, publisher).build(), BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(standIn.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        return apiKey == null ? builder : builder.header("x-goog-api-key", apiKey);
    }
}
