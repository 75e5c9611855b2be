package dev.genpipe.worker.processing;

import dev.genpipe.worker.gemini.GeminiFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * The one answer to "a Gemini call failed: what now?". Not retryable: the job fails. Retryable: again after an
 * exponential back-off with full jitter, never shorter than the provider's own retry delay, until
 * GENPIPE_MAX_ATTEMPTS attempts have failed — counting only the job's own failures: a rate limit is not its fault and
 * neither is a failed half-open probe.
 */
@Component
class RetryPolicy {

    private final WorkerSettings settings;

    RetryPolicy(WorkerSettings settings) {
        this.settings = settings;
    }

    /** The policy's answer. */
    sealed interface Decision permits Fail, GiveUp, Retry {
    }

    /** Not retryable: the job fails with the failure's code. */
    record Fail(GeminiFailure failure) implements Decision {
    }

    /** Retryable, but the attempts are used up: the job fails ({@code retries_exhausted}) and is dead-lettered. */
    record GiveUp(String reason) implements Decision {
    }

    /** Again after {@code delay}. */
    record Retry(Duration delay) implements Decision {
    }

    /** How many calls of one job have failed, and how many of those count against its attempts. */
    static final class Attempts {
        private int failures;
        private int counted;
    }

    Decision decide(GeminiFailure failure, boolean probe, Attempts attempts) {
        if (!failure.retryable()) {
            return new Fail(failure);
        }
        attempts.failures++;
        if (failure.kind() != GeminiFailure.Kind.RATE_LIMITED && !probe) {
            attempts.counted++;
        }
        if (attempts.counted >= settings.maxAttempts()) {
            return new GiveUp("gave up after " + attempts.counted + " failed attempts; last error: "
                    + failure.getMessage());
        }
        // a spent daily quota opened the model's breaker: it, not the provider's delay, says when to try the model
        // again, and the next attempt may go to the fallback at once
        return new Retry(backoff(attempts.failures, failure.isDailyQuota() ? Optional.empty() : failure.retryAfter()));
    }

    /** Exponential back-off with full jitter, but never shorter than the provider's own retry delay. */
    Duration backoff(int failures, Optional<Duration> providerDelay) {
        long cap = Math.min(settings.retryMaxDelay().toMillis(),
                settings.retryBaseDelay().toMillis() * (1L << Math.min(failures - 1, 20)));
        long jittered = ThreadLocalRandom.current().nextLong(cap + 1);
        long floor = providerDelay.map(Duration::toMillis).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, floor));
    }
}
