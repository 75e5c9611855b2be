package dev.genpipe.worker.gemini;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Back-pressure from a per-minute rate limit: after a 429 with a {@code retryDelay}, no call to Gemini leaves this
 * worker before the delay has passed.
 */
@Component
public class RateLimitGate {

    static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);

    private final AtomicReference<Instant> notBefore = new AtomicReference<>(Instant.EPOCH);

    /** Holds every call of this worker for the provider's delay (or a second when it gave none). */
    public void rateLimited(GeminiFailure failure) {
        Instant until = Instant.now().plus(failure.retryAfter().orElse(DEFAULT_DELAY));
        notBefore.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** How long a call must still wait; zero when it may go now. */
    public Duration waitNeeded() {
        Duration left = Duration.between(Instant.now(), notBefore.get());
        return left.isNegative() ? Duration.ZERO : left;
    }
}
