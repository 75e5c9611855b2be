package dev.genpipe.worker.breaker;

import dev.genpipe.worker.gemini.GeminiSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/** Breakers for tests outside this package. */
public final class BreakerAccess {

    private BreakerAccess() {
    }

    /** The breakers of {@code gemini}'s models, opening after 2 failures, OPEN for 10 minutes. */
    public static GeminiBreakers breakers(GeminiSettings gemini) {
        return new GeminiBreakers(new BreakerSettings(2, Duration.ofMinutes(10), Duration.ofMinutes(10), 100, 0,
                Duration.ofSeconds(25), 100, 1), gemini, new SimpleMeterRegistry());
    }

    /** Opens {@code breaker} now. */
    public static void open(GeminiBreaker breaker) {
        breaker.open();
    }
}
