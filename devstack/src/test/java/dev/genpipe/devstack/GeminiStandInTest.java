package dev.genpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.ClientException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.errors.ServerException;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import dev.genpipe.devstack.GeminiStandIn.Failure;
import dev.genpipe.devstack.GeminiStandIn.ReceivedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The stand-in as the real google-genai SDK sees it. */
class GeminiStandInTest {

    private static final String MODEL = "gemini-2.5-flash";
    private static final String EXPLAIN = "Explain <subtopic>Light reactions</subtopic> of <topic>Photosynthesis</topic> "
            + "for a <level>beginner</level> learner.";
    private static final GenerateContentConfig JSON = GenerateContentConfig.builder()
            .responseMimeType("application/json").build();

    /**
     * How a caller reads the 429 wait: google-genai 2.3.0 keeps no raw body and has no details accessor, but
     * {@link ApiException#message()} (and getMessage()) is {@code error.message} followed by {@code "\nDetails: "}
     * and every {@code error.details[]} entry as compact JSON, one per line. So the RetryInfo delay is
     * recoverable with this pattern, and the QuotaFailure's {@code quotaId} (PerMinute / PerDay) likewise.
     * Google's message also ends with "Please retry in 2s.".
     */
    private static final Pattern RETRY_DELAY = Pattern.compile("\"retryDelay\":\"(\\d+(?:\\.\\d+)?)s\"");

    private final JsonMapper mapper = JsonMapper.builder().build();
    private GeminiStandIn standIn;
    private Client client;

    @BeforeEach
    void start() {
        standIn = GeminiStandIn.start();
        client = clientFor(HttpOptions.builder());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        standIn.close();
    }

    @Test
    void jsonModeAnswersAnArrayOfTheRequestedCount() {
        GenerateContentResponse response = client.models.generateContent(MODEL,
                "List subtopics of <topic>Photosynthesis</topic>. Exactly <count>14</count> items.", JSON);

        JsonNode array = mapper.readTree(response.text());
        assertThat(array.isArray()).isTrue();
        List<String> titles = new ArrayList<>();
        array.forEach(title -> titles.add(title.asString()));
        assertThat(titles).hasSize(14).doesNotHaveDuplicates().allMatch(title -> title.contains("Photosynthesis"));
        assertThat(titles.getFirst()).isEqualTo("Foundations of Photosynthesis");
    }

    @Test
    void plainTextIsAMarkdownExplanationOfTheSubtopic() {
        GenerateContentResponse response = client.models.generateContent(MODEL, EXPLAIN, null);

        String text = response.text();
        assertThat(text).startsWith("## Light reactions").contains("Photosynthesis", "beginner", "\n- ");
        assertThat(FakeContent.words(text)).isBetween(120, 200);
        assertThat(client.models.generateContent(MODEL, EXPLAIN, null).text()).isEqualTo(text);
        assertThat(response.modelVersion()).contains(MODEL);
        GenerateContentResponseUsageMetadata usage = response.usageMetadata().orElseThrow();
        assertThat(usage.promptTokenCount()).contains(FakeContent.words(EXPLAIN));
        assertThat(usage.candidatesTokenCount()).contains(FakeContent.words(text));
        assertThat(usage.totalTokenCount()).contains(FakeContent.words(EXPLAIN) + FakeContent.words(text));
    }

    @Test
    void systemInstructionIsPartOfThePrompt() {
        GenerateContentConfig config = GenerateContentConfig.builder()
                .systemInstruction(Content.fromParts(Part.fromText("You teach <level>advanced</level> students.")))
                .build();

        String text = client.models.generateContent(MODEL, "<topic>Volcanoes</topic>", config).text();

        assertThat(text).contains("Volcanoes", "advanced");
        assertThat(standIn.received().getFirst().prompt()).contains("<topic>Volcanoes</topic>", "advanced");
    }

    @Test
    void streamSendsSeveralChunksThatAddUpToTheWholeText() {
        String whole = client.models.generateContent(MODEL, EXPLAIN, null).text();

        List<GenerateContentResponse> chunks = new ArrayList<>();
        try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL, EXPLAIN, null)) {
            stream.forEach(chunks::add);
        }

        assertThat(chunks).hasSizeGreaterThanOrEqualTo(4);
        assertThat(chunks.stream().map(GenerateContentResponse::text).reduce("", String::concat)).isEqualTo(whole);
        assertThat(chunks.getLast().usageMetadata()).isPresent();
        assertThat(chunks.getLast().finishReason().toString()).isEqualTo("STOP");
        assertThat(standIn.received()).extracting(ReceivedCall::stream).containsExactly(false, true);
    }

    @Test
    void aFailingStreamThrowsLikeAFailingCall() {
        standIn.failNext(1, Failure.UNAVAILABLE);

        assertThatThrownBy(() -> {
            try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL, EXPLAIN, null)) {
                stream.forEach(chunk -> { });
            }
        }).isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.code()).isEqualTo(503));
        assertThat(standIn.received()).extracting(ReceivedCall::stream, ReceivedCall::httpStatus)
                .containsExactly(Tuple.tuple(true, 503));
    }

    @Test
    void badRequestIsAClientException() {
        standIn.failNext(1, Failure.BAD_REQUEST);

        assertThatThrownBy(() -> client.models.generateContent(MODEL, EXPLAIN, null))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.status()).isEqualTo("INVALID_ARGUMENT");
                });
    }

    @Test
    void unavailableIsAServerException() {
        standIn.failNext(1, Failure.UNAVAILABLE);

        assertThatThrownBy(() -> client.models.generateContent(MODEL, EXPLAIN, null))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.code()).isEqualTo(503);
                    assertThat(e.status()).isEqualTo("UNAVAILABLE");
                    assertThat(e.message()).contains("The model is overloaded");
                });
    }

    @Test
    void serverErrorIsAServerException() {
        standIn.failNext(1, Failure.SERVER_ERROR);

        assertThatThrownBy(() -> client.models.generateContent(MODEL, EXPLAIN, null))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.code()).isEqualTo(500));
    }

    @Test
    void rateLimitCarriesTheRetryDelayInTheExceptionMessage() {
        standIn.retryDelay(Duration.ofSeconds(7)).failNext(1, Failure.RATE_LIMITED);

        assertThatThrownBy(() -> client.models.generateContent(MODEL, EXPLAIN, null))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.code()).isEqualTo(429);
                    assertThat(e.status()).isEqualTo("RESOURCE_EXHAUSTED");
                    assertThat(retryDelaySeconds(e)).isEqualTo("7");
                    assertThat(e.message()).contains("GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                            "Please retry in 7s.");
                });
    }

    @Test
    void dailyQuotaSaysPerDayAndWaitsLong() {
        standIn.failNext(1, Failure.QUOTA_EXHAUSTED_DAILY);

        assertThatThrownBy(() -> client.models.generateContent(MODEL, EXPLAIN, null))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.code()).isEqualTo(429);
                    assertThat(retryDelaySeconds(e)).isEqualTo("3600");
                    assertThat(e.message()).contains("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
                });
    }

    @Test
    void failNextFailsExactlyThatManyCalls() {
        standIn.failNext(2, Failure.UNAVAILABLE);

        assertThatThrownBy(() -> client.models.generateContent(MODEL, EXPLAIN, null)).isInstanceOf(ServerException.class);
        assertThatThrownBy(() -> client.models.generateContent(MODEL, EXPLAIN, null)).isInstanceOf(ServerException.class);
        assertThat(client.models.generateContent(MODEL, EXPLAIN, null).text()).isNotBlank();

        assertThat(standIn.calls()).isEqualTo(3);
        assertThat(standIn.received()).extracting(ReceivedCall::httpStatus).containsExactly(503, 503, 200);
    }

    @Test
    void failAlwaysLastsUntilRecover() {
        standIn.failAlways(Failure.SERVER_ERROR);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.models.generateContent(MODEL, EXPLAIN, null))
                    .isInstanceOf(ServerException.class);
        }

        standIn.recover();

        assertThat(client.models.generateContent(MODEL, EXPLAIN, null).text()).isNotBlank();
    }

    @Test
    void promptDirectiveFailsOnlyThatCall() {
        assertThatThrownBy(() -> client.models.generateContent(MODEL,
                "<topic>[[standin:fail=400]]Photosynthesis</topic>", null))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> client.models.generateContent(MODEL, "[[standin:fail=429-daily]] x", null))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.message()).contains("PerDay"));

        String text = client.models.generateContent(MODEL, "<topic>Photosynthesis</topic>", null).text();

        assertThat(text).contains("Photosynthesis").doesNotContain("[[", "fail=");
    }

    @Test
    void latencyDelaysEveryCall() {
        standIn.latency(Duration.ofMillis(400));

        long start = System.nanoTime();
        client.models.generateContent(MODEL, EXPLAIN, null);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void latencyDirectiveDelaysThatCall() {
        long start = System.nanoTime();
        client.models.generateContent(MODEL, "[[standin:latency=300]] <topic>Tides</topic>", null);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aHangingCallTimesOutOnTheClient() {
        Client impatient = clientFor(HttpOptions.builder().timeout(500));
        try {
            standIn.failNext(1, Failure.HANG);

            assertThatThrownBy(() -> impatient.models.generateContent(MODEL, EXPLAIN, null))
                    .isInstanceOf(GenAiIOException.class);
            assertThat(standIn.received()).extracting(ReceivedCall::httpStatus).containsExactly(0);
        } finally {
            impatient.close();
        }
    }

    @Test
    void closeDropsAHangingCall() {
        CompletableFuture<GenerateContentResponse> hanging = CompletableFuture.supplyAsync(
                () -> client.models.generateContent(MODEL, "[[standin:fail=hang]]", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> standIn.calls() == 1);

        standIn.close();

        await().atMost(Duration.ofSeconds(10)).until(hanging::isDone);
        assertThat(hanging).isCompletedExceptionally();
    }

    @Test
    void v1betaAndAnyModelAreAccepted() {
        Client beta = clientFor(HttpOptions.builder().apiVersion("v1beta"));
        try {
            beta.models.generateContent("gemini-2.0-flash-lite", EXPLAIN, null);
        } finally {
            beta.close();
        }

        ReceivedCall call = standIn.received().getFirst();
        assertThat(call.apiVersion()).isEqualTo("v1beta");
        assertThat(call.model()).isEqualTo("gemini-2.0-flash-lite");
        assertThat(call.prompt()).isEqualTo(EXPLAIN);
        assertThat(call.httpStatus()).isEqualTo(200);
    }

    @Test
    void resetClearsCountsAndBehaviour() {
        standIn.latency(Duration.ofMillis(100)).retryDelay(Duration.ofSeconds(9)).failAlways(Failure.UNAVAILABLE);
        assertThatThrownBy(() -> client.models.generateContent(MODEL, EXPLAIN, null)).isInstanceOf(ServerException.class);

        standIn.reset();

        assertThat(standIn.calls()).isZero();
        assertThat(standIn.received()).isEmpty();
        assertThat(standIn.settings()).isEqualTo(new StandInSettings().snapshot());
        assertThat(client.models.generateContent(MODEL, EXPLAIN, null).text()).isNotBlank();
        assertThat(standIn.calls()).isEqualTo(1);
    }

    /**
     * No SDK retries. {@code attempts(1)} alone is not enough in google-genai 2.3.0: its RetryInterceptor still
     * sleeps its back-off (0-2 s with the defaults) after the last attempt when the status is a retryable one
     * (408, 429, 500, 502, 503, 504) before handing the error back. An empty {@code httpStatusCodes} list makes
     * no status retryable, so errors come back at once.
     */
    private Client clientFor(HttpOptions.Builder options) {
        return Client.builder().apiKey("test")
                .httpOptions(options.baseUrl(standIn.baseUrl())
                        .retryOptions(HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build())
                        .build())
                .build();
    }

    private static String retryDelaySeconds(ApiException e) {
        Matcher matcher = RETRY_DELAY.matcher(e.message());
        assertThat(matcher.find()).as("retryDelay in %s", e.message()).isTrue();
        return matcher.group(1);
    }
}
