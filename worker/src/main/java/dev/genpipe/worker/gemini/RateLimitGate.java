package dev.genpipe.worker.gemini;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Back-pressure from a per-minute rate limit: after a 429 with a {@code retryDelay}, no call to that model leaves
 * this worker before the delay has passed. Gemini's quotas are per model, so each model has its own hold.
 */
@Component
public class RateLimitGate {

    static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);

    private final ConcurrentMap<String, Instant> notBefore = new ConcurrentHashMap<>();

    /** Holds every call of this worker to {@code model} for the provider's delay (or a second when it gave none). */
    public void rateLimited(String model, GeminiFailure failure) {
        Instant until = Instant.now().plus(failure.retryAfter().orElse(DEFAULT_DELAY));
        notBefore.merge(model, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** How long a call to {@code model} must still wait; zero when it may go now. */
    public Duration waitNeeded(String model) {
        Duration left = Duration.between(Instant.now(), notBefore.getOrDefault(model, Instant.EPOCH));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
