package dev.genpipe.worker.processing;

import dev.genpipe.common.job.JobRequested;
import dev.genpipe.worker.breaker.GeminiBreaker;
import dev.genpipe.worker.breaker.GeminiBreakers;
import dev.genpipe.worker.limits.SharedLimits;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * What a job must pass before each Gemini call, in one place and in one order: not expired, not cancelled, a model
 * it may use without a rate-limit hold whose circuit breaker gives a permission ({@link ModelChoice}: the primary,
 * else the fallback when the job allows it), the shared request/token budget. {@link #admit} answers with one
 * {@link Admission}: go (a {@link Permit} for one model, holding the breaker permission and the budget reservation,
 * released together), wait (why, and how), or stop.
 */
@Component
class CallGate {

    private static final Duration BREAKER_RECHECK = Duration.ofSeconds(1);

    private final ModelChoice models;
    private final GeminiBreakers breakers;
    private final SharedLimits limits;
    private final Cancellations cancellations;
    private final WorkerSettings settings;

    CallGate(ModelChoice models, GeminiBreakers breakers, SharedLimits limits, Cancellations cancellations,
             WorkerSettings settings) {
        this.models = models;
        this.breakers = breakers;
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
        GeminiBreaker breaker;
        switch (models.choose(request)) {
            case ModelChoice.Held held -> {
                return new Wait("waiting " + held.hold().toMillis() + " ms for Gemini's rate limit of "
                        + held.model(), held.hold(), false);
            }
            case ModelChoice.Unavailable none -> {
                return new Wait("waiting for Gemini to recover (circuit breaker " + none.breakers() + ")",
                        BREAKER_RECHECK, true);
            }
            case ModelChoice.Call call -> breaker = call.breaker();
        }
        SharedLimits.Decision budget = limits.tryReserve(estimatedTokens);
        if (budget.reservation().isEmpty()) {
            breaker.release();
            return new Wait("waiting for the shared Gemini request/token budget", budget.retryIn(), false);
        }
        return new Permit(breaker, budget.reservation().get(), breaker.state() != CircuitBreaker.State.CLOSED);
    }

    /** Waits as {@code wait} says. @return false when the job must let go (the worker stops) */
    boolean await(Wait wait, StopSignal stop) {
        if (wait.untilBreakerChanges()) {
            breakers.awaitChange(wait.atMost());
            return !stop.isStopped();
        }
        return stop.sleep(wait.atMost());
    }

    /**
     * Leave to make one Gemini call to {@link #model()}: its breaker's permission (spent by {@link #call}) and the
     * budget reservation (settled with the call's real usage, or refunded when the call failed or was not made).
     */
    final class Permit implements Admission {

        private final GeminiBreaker breaker;
        private final SharedLimits.Reservation reservation;
        private final boolean probe;

        private Permit(GeminiBreaker breaker, SharedLimits.Reservation reservation, boolean probe) {
            this.breaker = breaker;
            this.reservation = reservation;
            this.probe = probe;
        }

        /** The model to call. */
        String model() {
            return breaker.model();
        }

        /** Whether it is the fallback model (the primary's breaker refused). */
        boolean fallback() {
            return breaker != breakers.primary();
        }

        /** Gives the permission and the reservation back without a call (the answer was found meanwhile). */
        void unused() {
            breaker.release();
            limits.settle(reservation, 0);
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
