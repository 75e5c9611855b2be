package dev.genpipe.worker.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.genai.errors.ClientException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.errors.ServerException;
import dev.genpipe.worker.gemini.GeminiFailure.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GeminiFailuresTest {

    @Test
    void badRequestsAreFinalAndNoOutage() {
        GeminiFailure f = GeminiFailures.classify(new ClientException(400, "INVALID_ARGUMENT", "bad"));
        assertThat(f.kind()).isEqualTo(Kind.INVALID_REQUEST);
        assertThat(f.retryable()).isFalse();
        assertThat(f.isOutage()).isFalse();
    }

    @Test
    void perMinuteRateLimitsWaitForTheProvidersDelay() {
        GeminiFailure f = GeminiFailures.classify(new ClientException(429, "RESOURCE_EXHAUSTED",
                "You exceeded your current quota. Please retry in 2.5s."));
        assertThat(f.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(f.retryable()).isTrue();
        assertThat(f.isOutage()).isFalse();
        assertThat(f.retryAfter()).contains(Duration.ofMillis(2500));
    }

    @Test
    void dailyQuotasAreAnOutage() {
        GeminiFailure byId = GeminiFailures.classify(new ClientException(429, "RESOURCE_EXHAUSTED",
                "quota GenerateRequestsPerDayPerProjectPerModel-FreeTier exceeded"));
        GeminiFailure byDelay = GeminiFailures.classify(new ClientException(429, "RESOURCE_EXHAUSTED",
                "Please retry in 3600s."));
        assertThat(byId.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
        assertThat(byDelay.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
        assertThat(byDelay.isOutage()).isTrue();
    }

    @Test
    void serverErrorsAndTimeoutsAreRetryableOutages() {
        assertThat(GeminiFailures.classify(new ServerException(503, "UNAVAILABLE", "overloaded")).kind())
                .isEqualTo(Kind.UNAVAILABLE);
        GeminiFailure io = GeminiFailures.classify(new GenAiIOException("timeout", new java.io.IOException("timeout")));
        assertThat(io.retryable()).isTrue();
        assertThat(io.isOutage()).isTrue();
    }

    @Test
    void subtopicsMustBeAJsonArrayOfShortTexts() {
        assertThat(GeminiGateway.parseSubtopics("[\" A \",\"B\",\"C\"]", 2)).containsExactly("A", "B");
        assertThatThrownBy(() -> GeminiGateway.parseSubtopics("not json", 3))
                .isInstanceOfSatisfying(GeminiFailure.class, f -> assertThat(f.kind()).isEqualTo(Kind.INVALID_OUTPUT));
        assertThatThrownBy(() -> GeminiGateway.parseSubtopics("{\"a\":1}", 3)).isInstanceOf(GeminiFailure.class);
        assertThatThrownBy(() -> GeminiGateway.parseSubtopics("[1,2]", 3)).isInstanceOf(GeminiFailure.class);
        assertThatThrownBy(() -> GeminiGateway.parseSubtopics("[]", 3)).isInstanceOf(GeminiFailure.class);
    }
}
