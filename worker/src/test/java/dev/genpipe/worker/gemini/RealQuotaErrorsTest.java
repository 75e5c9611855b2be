package dev.genpipe.worker.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.genai.errors.ApiException;
import dev.genpipe.worker.gemini.GeminiFailure.Kind;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

/**
 * 429 bodies as Gemini really writes them, through what the worker does with them: the SDK's own
 * {@code ApiException.throwFromResponse} (google-genai 2.3.0 keeps {@code error.message} and appends the
 * {@code details} to it), then {@link GeminiFailures}.
 */
class RealQuotaErrorsTest {

    /** A spent per-day quota: only the QuotaFailure's quota id says so; the RetryInfo is a few seconds. */
    static final String PER_DAY = """
            {
              "error": {
                "code": 429,
                "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 250\\nPlease retry in 13.310625781s.",
                "status": "RESOURCE_EXHAUSTED",
                "details": [
                  {
                    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                    "violations": [
                      {
                        "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                        "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
                        "quotaDimensions": {"location": "global", "model": "gemini-2.5-flash"},
                        "quotaValue": "250"
                      }
                    ]
                  },
                  {
                    "@type": "type.googleapis.com/google.rpc.Help",
                    "links": [{"description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]
                  },
                  {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "13s"}
                ]
              }
            }""";

    /** The same shape for a per-minute quota: a rate limit, wait 48 s. */
    static final String PER_MINUTE = PER_DAY.replace("PerDay", "PerMinute").replace("limit: 250", "limit: 10")
            .replace("13.310625781s", "48.2s").replace("\"13s\"", "\"48s\"");

    /** Only the message: no details, no retry delay. */
    static final String MESSAGE_ONLY = """
            {"error": {"code": 429, "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.", "status": "RESOURCE_EXHAUSTED"}}""";

    @Test
    void aPerDayQuotaFailureIsADailyQuotaThoughItsRetryDelayIsShort() {
        GeminiFailure failure = classify(PER_DAY);
        assertThat(failure.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
        assertThat(failure.isDailyQuota()).isTrue();
        assertThat(failure.isOutage()).isTrue();
        assertThat(failure.getMessage()).contains("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
    }

    @Test
    void theSdkKeepsTheDetailsInItsMessage() {
        assertThat(sdkException(PER_DAY).getMessage()).as("if an SDK upgrade drops them, the per-day rule goes blind")
                .contains("\"quotaId\":\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\"")
                .contains("\"retryDelay\":\"13s\"");
        assertThat(sdkException(PER_DAY.replace("PerDay", "PerMinute")).getMessage()).doesNotContain("PerDay");
    }

    @Test
    void thePerMinuteShapeIsARateLimitWithItsDelay() {
        GeminiFailure failure = classify(PER_MINUTE);
        assertThat(failure.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(failure.isDailyQuota()).isFalse();
        assertThat(failure.isOutage()).isFalse();
        assertThat(failure.retryAfter()).contains(Duration.ofMillis(48_200));
    }

    @Test
    void theQuotaMessageWithoutAnyRetryDelayIsADailyQuota() {
        GeminiFailure failure = classify(MESSAGE_ONLY);
        assertThat(failure.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
        assertThat(failure.isDailyQuota()).isTrue();
        assertThat(failure.retryAfter()).isEmpty();
    }

    private static GeminiFailure classify(String body) {
        return GeminiFailures.classify(sdkException(body));
    }

    /** What the SDK throws for a 429 with this body. */
    private static ApiException sdkException(String body) {
        Response response = new Response.Builder()
                .request(new Request.Builder().url("https://generativelanguage.googleapis.com/v1beta/models/"
                        + "gemini-2.5-flash:generateContent").build())
                .protocol(Protocol.HTTP_1_1).code(429).message("Too Many Requests")
                .body(ResponseBody.create(body, MediaType.get("application/json; charset=UTF-8")))
                .build();
        return catchThrowableOfType(ApiException.class, () -> ApiException.throwFromResponse(response));
    }
}
