package dev.genpipe.api.webhooks;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with full jitter: after attempt n, a random wait up to {@code min(max, base × 2^(n-1))}. */
record Backoff(Duration base, Duration max) {

    Duration after(int attempt) {
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt - 1, 30));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
