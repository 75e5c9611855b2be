package dev.genpipe.worker.breaker;

import dev.genpipe.worker.gemini.GeminiFailure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Resilience4j circuit breaker around every call of this worker to one Gemini model. Only outage failures
 * ({@link GeminiFailure#isOutage()}) count against it; a rate limit is neither success nor failure; an invalid
 * request proves the provider is up; a spent daily quota opens it at once (the model will not answer before the
 * quota resets, so waiting for the failure threshold would only spend calls). Jobs that find it OPEN wait for a
 * state change, or go to the fallback model's breaker when they may.
 */
public class GeminiBreaker {

    private static final Logger log = LoggerFactory.getLogger(GeminiBreaker.class);

    private final String model;
    private final CircuitBreaker breaker;
    private volatile Instant since = Instant.now();

    GeminiBreaker(String model, CircuitBreaker breaker, MeterRegistry meters, Runnable changed) {
        this.model = model;
        this.breaker = breaker;
        breaker.getEventPublisher().onStateTransition(event -> {
            State to = event.getStateTransition().getToState();
            since = Instant.now();
            log.warn("Gemini circuit breaker of {} {} -> {}", model, event.getStateTransition().getFromState(), to);
            meters.counter("genpipe.breaker.transitions", "to", to.name(), "name", breaker.getName()).increment();
            changed.run();
        });
    }

    /** The model it guards. */
    public String model() {
        return model;
    }

    /** Its name in metrics ({@code resilience4j_circuitbreaker_state{name=...}}). */
    public String name() {
        return breaker.getName();
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

    /** Back to CLOSED with a fresh window (the admin reset); says nothing, the caller tells the listeners. */
    void reset() {
        breaker.reset();
        since = Instant.now();
        log.warn("Gemini circuit breaker of {} reset to CLOSED", model);
    }

    /** Takes a permission for one call, without waiting; false while OPEN (or HALF_OPEN with all probes out). */
    public boolean tryAcquire() {
        return breaker.tryAcquirePermission();
    }

    /** Gives back a permission that was not used for a call. */
    public void release() {
        breaker.releasePermission();
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
            if (e instanceof GeminiFailure failure && failure.isDailyQuota()) {
                open();
            }
            throw e;
        }
    }

    /** Opens it now (a spent daily quota), unless it is OPEN already. */
    void open() {
        State state = breaker.getState();
        if (state == State.CLOSED || state == State.HALF_OPEN) {
            try {
                breaker.transitionToOpenState();
            } catch (IllegalStateException raced) { // another call opened it meanwhile
                log.debug("breaker of {} already moved on: {}", model, raced.toString());
            }
        }
    }
}
