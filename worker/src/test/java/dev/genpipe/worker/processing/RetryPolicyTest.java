package dev.genpipe.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.worker.gemini.GeminiFailure;
import dev.genpipe.worker.gemini.GeminiFailure.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(new WorkerSettings("w", 8, Duration.ofMillis(100),
            Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ofMillis(100), Duration.ofSeconds(2),
            Duration.ofHours(1), Duration.ofMillis(200), 0.1, Duration.ofSeconds(10), Duration.ofMinutes(10)));

    @Test
    void aFailureThatIsNotRetryableFailsTheJobAtOnce() {
        assertThat(policy.decide(new GeminiFailure(Kind.INVALID_REQUEST, "400"), false, new RetryPolicy.Attempts()))
                .isInstanceOf(RetryPolicy.Fail.class);
    }

    @Test
    void retriesUntilTheJobsOwnFailuresUseUpItsAttempts() {
        RetryPolicy.Attempts attempts = new RetryPolicy.Attempts();
        GeminiFailure outage = new GeminiFailure(Kind.UNAVAILABLE, "503");
        GeminiFailure rateLimit = new GeminiFailure(Kind.RATE_LIMITED, "429", Duration.ofSeconds(5), null);

        assertThat(policy.decide(outage, false, attempts)).isInstanceOf(RetryPolicy.Retry.class);
        assertThat(policy.decide(rateLimit, false, attempts)).as("a rate limit is not the job's fault")
                .isInstanceOf(RetryPolicy.Retry.class);
        assertThat(policy.decide(outage, true, attempts)).as("nor is a failed half-open probe")
                .isInstanceOf(RetryPolicy.Retry.class);
        assertThat(policy.decide(outage, false, attempts)).isInstanceOf(RetryPolicy.Retry.class);
        assertThat(policy.decide(outage, false, attempts)).isInstanceOf(RetryPolicy.GiveUp.class)
                .satisfies(d -> assertThat(((RetryPolicy.GiveUp) d).reason()).contains("3 failed attempts"));
    }

    @Test
    void waitsAtLeastTheProvidersDelayAndAtMostTheCap() {
        RetryPolicy.Attempts attempts = new RetryPolicy.Attempts();
        GeminiFailure rateLimit = new GeminiFailure(Kind.RATE_LIMITED, "429", Duration.ofSeconds(5), null);
        for (int i = 0; i < 20; i++) {
            RetryPolicy.Retry retry = (RetryPolicy.Retry) policy.decide(rateLimit, false, attempts);
            assertThat(retry.delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        }
        for (int failures = 1; failures < 30; failures++) {
            assertThat(policy.backoff(failures, java.util.Optional.empty())).isLessThanOrEqualTo(Duration.ofSeconds(2));
        }
    }
}
