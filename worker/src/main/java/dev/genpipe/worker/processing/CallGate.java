package dev.genpipe.worker.processing;

import dev.genpipe.common.job.JobRequested;
import dev.genpipe.worker.breaker.GeminiBreaker;
import dev.genpipe.worker.gemini.RateLimitGate;
import dev.genpipe.worker.limits.SharedLimits;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * What a job must pass before each Gemini call, in one place and in one order: not expired, not cancelled, no
 * rate-limit hold, a circuit-breaker permission, the shared request/token budget. {@link #admit} answers with one
 * {@link Admission}: go (a {@link Permit} holding the breaker permission and the budget reservation, released
 * together), wait (why, and how), or stop.
 */
@Component
class CallGate {

    private static final Duration BREAKER_RECHECK = Duration.ofSeconds(1);

    private final RateLimitGate rateLimit;
    private final GeminiBreaker breaker;
    private final SharedLimits limits;
    private final Cancellations cancellations;
    private final WorkerSettings settings;

    CallGate(RateLimitGate rateLimit, GeminiBreaker breaker, SharedLimits limits, Cancellations cancellations,
             WorkerSettings settings) {
        this.rateLimit = rateLimit;
        this.breaker = breaker;
        this.limits = limits;
        this.cancellations = cancellations;
        this.settings = settings;
    }

    /** The answer of the gate. */
    sealed interface Admission permits Expired, Cancelled, Wait, Permit {
    }

    /** The job waited longer than GENPIPE_MAX_JOB_AGE: it ends. */
    record Expired() implements Admission {
    }

    /** The client cancelled the job: no call. */
    record Cancelled() implements Admission {
    }

    /**
     * Not now: the job goes back to QUEUED for {@code reason} and waits with {@link #await}, then asks again.
     */
    record Wait(String reason, Duration atMost, boolean untilBreakerChanges) implements Admission {
    }

    boolean expired(JobRequested request) {
        return request.requestedAt().plus(settings.maxJobAge()).isBefore(Instant.now());
    }

    Admission admit(JobRequested request, long estimatedTokens) {
        if (expired(request)) {
            return new Expired();
        }
        if (cancellations.cancelled(request)) {
            return new Cancelled();
        }
        Duration hold = rateLimit.waitNeeded();
        if (!hold.isZero()) {
            return new Wait("waiting " + hold.toMillis() + " ms for Gemini's rate limit", hold, false);
        }
        if (!breaker.tryAcquire()) {
            return new Wait("waiting for Gemini to recover (circuit breaker " + breaker.state() + ")", BREAKER_RECHECK,
                    true);
        }
        SharedLimits.Decision budget = limits.tryReserve(estimatedTokens);
        if (budget.reservation().isEmpty()) {
            breaker.release();
            return new Wait("waiting for the shared Gemini request/token budget", budget.retryIn(), false);
        }
        return new Permit(budget.reservation().get(), breaker.state() != CircuitBreaker.State.CLOSED);
    }

    /** Waits as {@code wait} says. @return false when the job must let go (the worker stops) */
    boolean await(Wait wait, StopSignal stop) {
        if (wait.untilBreakerChanges()) {
            breaker.awaitChange(wait.atMost());
            return !stop.isStopped();
        }
        return stop.sleep(wait.atMost());
    }

    /**
     * Leave to make one Gemini call: the breaker's permission (spent by {@link #call}) and the budget reservation
     * (settled with the call's real usage, or refunded when the call failed).
     */
    final class Permit implements Admission {

        private final SharedLimits.Reservation reservation;
        private final boolean probe;

        private Permit(SharedLimits.Reservation reservation, boolean probe) {
            this.reservation = reservation;
            this.probe = probe;
        }

        /** Whether this call is a half-open probe (its failure does not count against the job's attempts). */
        boolean probe() {
            return probe;
        }

        /** Makes the call through the breaker; the budget is settled with {@code usedTokens} of its result. */
        <T> T call(Supplier<T> call, java.util.function.ToLongFunction<T> usedTokens) {
            T result;
            try {
                result = breaker.call(call);
            } catch (RuntimeException e) {
                limits.settle(reservation, 0);
                throw e;
            }
            limits.settle(reservation, usedTokens.applyAsLong(result));
            return result;
        }
    }
}
