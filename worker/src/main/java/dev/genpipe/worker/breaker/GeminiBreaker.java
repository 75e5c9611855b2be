package dev.genpipe.worker.breaker;

import dev.genpipe.worker.gemini.GeminiFailure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one Resilience4j circuit breaker around every Gemini call of this worker. Only outage failures
 * ({@link GeminiFailure#isOutage()}) count against it; a rate limit is neither success nor failure; an invalid
 * request proves the provider is up. Jobs that find it OPEN wait for a state change instead of failing.
 */
@Component
public class GeminiBreaker {

    private static final Logger log = LoggerFactory.getLogger(GeminiBreaker.class);

    private final CircuitBreaker breaker;
    private final BreakerSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
    private volatile Instant since = Instant.now();

    GeminiBreaker(BreakerSettings settings, MeterRegistry meters) {
        this.settings = settings;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
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
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        this.breaker = registry.circuitBreaker("gemini");
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        breaker.getEventPublisher().onStateTransition(event -> {
            State to = event.getStateTransition().getToState();
            since = Instant.now();
            log.warn("Gemini circuit breaker {} -> {}", event.getStateTransition().getFromState(), to);
            meters.counter("genpipe.breaker.transitions", "to", to.name()).increment();
            signal();
            listeners.forEach(l -> l.accept(to));
        });
    }

    /** Called on every state change (on the thread that caused it). */
    public void onTransition(Consumer<State> listener) {
        listeners.add(listener);
    }

    public State state() {
        return breaker.getState();
    }

    public Instant since() {
        return since;
    }

    /** Failure rate of the current window in percent, -1 while it has too few calls. */
    public float failureRate() {
        return breaker.getMetrics().getFailureRate();
    }

    /** Failed calls in the breaker's window. */
    public int failedCalls() {
        return breaker.getMetrics().getNumberOfFailedCalls();
    }

    public int halfOpenCalls() {
        return settings.halfOpenCalls();
    }

    /** Back to CLOSED with a fresh window (the admin reset). */
    public void reset() {
        breaker.reset();
        since = Instant.now();
        log.warn("Gemini circuit breaker reset to CLOSED");
        signal();
        listeners.forEach(l -> l.accept(State.CLOSED));
    }

    /** Takes a permission for one call, without waiting; false while OPEN (or HALF_OPEN with all probes out). */
    public boolean tryAcquire() {
        return breaker.tryAcquirePermission();
    }

    /** Gives back a permission that was not used for a call. */
    public void release() {
        breaker.releasePermission();
    }

    /** Waits at most {@code max} for the breaker to change state (the caller then tries again). */
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

    /** Runs a call for which {@link #tryAcquire()} gave permission, and records its outcome. */
    public <T> T call(Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
