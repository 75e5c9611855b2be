package dev.genpipe.worker.processing;

import dev.genpipe.common.job.JobRequested;
import dev.genpipe.worker.breaker.GeminiBreaker;
import dev.genpipe.worker.breaker.GeminiBreakers;
import dev.genpipe.worker.gemini.GeminiSettings;
import dev.genpipe.worker.gemini.RateLimitGate;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Which model a job's next call goes to. The primary, whenever its breaker gives a permission; the fallback
 * (GEMINI_FALLBACK_MODEL) only for a job that allows it ({@code allowFallback}, else GENPIPE_ALLOW_FALLBACK) and only
 * while the primary's breaker refuses — OPEN after an outage or a spent daily quota, or HALF_OPEN with its probes
 * out. A per-minute rate limit is back-pressure, not an outage: a job whose model is held waits for it.
 */
@Component
class ModelChoice {

    private final GeminiBreakers breakers;
    private final RateLimitGate rateLimit;
    private final GeminiSettings settings;

    ModelChoice(GeminiBreakers breakers, RateLimitGate rateLimit, GeminiSettings settings) {
        this.breakers = breakers;
        this.rateLimit = rateLimit;
        this.settings = settings;
    }

    /** The choice. */
    sealed interface Choice permits Call, Held, Unavailable {
    }

    /** Call this model: its breaker's permission is taken (spend it with a call or give it back). */
    record Call(GeminiBreaker breaker) implements Choice {
    }

    /** The model the job would call is rate-limited for {@code hold}. */
    record Held(String model, Duration hold) implements Choice {
    }

    /** No model this job may use lets a call through: wait for a breaker to change. */
    record Unavailable(String breakers) implements Choice {
    }

    Choice choose(JobRequested request) {
        for (GeminiBreaker breaker : usableBy(request)) {
            Duration hold = rateLimit.waitNeeded(breaker.model());
            if (!hold.isZero()) {
                return new Held(breaker.model(), hold);
            }
            if (breaker.tryAcquire()) {
                return new Call(breaker);
            }
        }
        return new Unavailable(breakers.describe());
    }

    /** The models {@code request} may run on, in the order they are tried. */
    List<GeminiBreaker> usableBy(JobRequested request) {
        return request.allowsFallback(settings.allowFallback()) ? breakers.all() : List.of(breakers.primary());
    }
}
