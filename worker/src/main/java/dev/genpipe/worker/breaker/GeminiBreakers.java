package dev.genpipe.worker.breaker;

import dev.genpipe.worker.gemini.GeminiFailure;
import dev.genpipe.worker.gemini.GeminiSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * One circuit breaker per Gemini model this worker calls: the primary's (named {@code gemini} in metrics, as it
 * always was) and, with GEMINI_FALLBACK_MODEL, the fallback's ({@code gemini-fallback}). All have the same settings.
 * Jobs waiting for a breaker wait here for a change of any of them.
 */
@Component
public class GeminiBreakers {

    static final String PRIMARY = "gemini";
    static final String FALLBACK = "gemini-fallback";

    private final List<GeminiBreaker> breakers = new ArrayList<>();
    private final BreakerSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    GeminiBreakers(BreakerSettings settings, GeminiSettings gemini, MeterRegistry meters) {
        this.settings = settings;
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config(settings));
        List<String> models = gemini.models();
        for (int i = 0; i < models.size(); i++) {
            breakers.add(new GeminiBreaker(models.get(i), registry.circuitBreaker(i == 0 ? PRIMARY : FALLBACK),
                    meters, this::changed));
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    private static CircuitBreakerConfig config(BreakerSettings settings) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.effectiveWindow())
                .minimumNumberOfCalls(settings.failureThreshold())
                .failureRateThreshold(settings.failureRateThreshold())
                .slowCallDurationThreshold(settings.slowCallDuration())
                .slowCallRateThreshold(settings.slowCallRateThreshold())
                // a short first wait that doubles while half-open probes fail, bounded by the recovery timeout
                .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(settings.firstWait(), 2.0,
                        settings.recoveryTimeout()))
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                // a paused worker makes no calls, so only the clock can move it on from OPEN
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(e -> e instanceof GeminiFailure f && f.isOutage())
                .ignoreException(e -> e instanceof GeminiFailure f && f.kind() == GeminiFailure.Kind.RATE_LIMITED)
                .build();
    }

    /** The primary model's breaker. */
    public GeminiBreaker primary() {
        return breakers.getFirst();
    }

    /** The fallback model's breaker, when a fallback model is configured. */
    public Optional<GeminiBreaker> fallback() {
        return breakers.size() > 1 ? Optional.of(breakers.get(1)) : Optional.empty();
    }

    /** Every breaker, the primary first. */
    public List<GeminiBreaker> all() {
        return List.copyOf(breakers);
    }

    /** How many jobs the worker admits with its breakers in these states: the most any model lets through. */
    public int admits(int maxInFlight) {
        int admitted = 0;
        for (GeminiBreaker breaker : breakers) {
            admitted = Math.max(admitted, switch (breaker.state()) {
                case OPEN, FORCED_OPEN -> 0;
                case HALF_OPEN -> Math.min(settings.halfOpenCalls(), maxInFlight);
                default -> maxInFlight;
            });
        }
        return admitted;
    }

    /** The states, for a log line: {@code gemini-2.5-flash OPEN, gemini-2.5-flash-lite CLOSED}. */
    public String describe() {
        return String.join(", ", breakers.stream().map(b -> b.model() + " " + b.state()).toList());
    }

    /** Called on every state change of any breaker (on the thread that caused it). */
    public void onTransition(Runnable listener) {
        listeners.add(listener);
    }

    /** Every breaker back to CLOSED with a fresh window (the admin reset). */
    public void reset() {
        breakers.forEach(GeminiBreaker::reset);
        changed();
    }

    /** Waits at most {@code max} for any breaker to change state (the caller then tries again). */
    public void awaitChange(Duration max) {
        lock.lock();
        try {
            changed.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void changed() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        listeners.forEach(Runnable::run);
    }
}
