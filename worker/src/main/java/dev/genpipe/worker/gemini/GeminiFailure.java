package dev.genpipe.worker.gemini;

import java.time.Duration;
import java.util.Optional;

/**
 * A Gemini call that did not give a usable result, with its one retry decision (CONVENTIONS.md 7: errors say
 * whether to retry). The retry policy, the circuit breaker and the dead-letter path all ask this object.
 */
public final class GeminiFailure extends RuntimeException {

    /** What went wrong, and therefore what to do about it. */
    public enum Kind {
        /** 400/404/413/422: the request itself is wrong; retrying gives the same answer. */
        INVALID_REQUEST("invalid_request", false, false),
        /** The prompt or the answer was blocked by safety filters. */
        BLOCKED("blocked", false, false),
        /** 429 on a per-minute quota: wait at least {@link #retryAfter()}, then try again. Back-pressure, not an outage. */
        RATE_LIMITED("rate_limited", true, false),
        /** 429 on a daily quota, 401/403: the provider is unusable for us for a long time; an outage. */
        QUOTA_EXHAUSTED("quota_exhausted", true, true),
        /** 5xx, timeouts, refused connections. */
        UNAVAILABLE("unavailable", true, true),
        /** The model answered, but not in the expected shape (for example invalid JSON). */
        INVALID_OUTPUT("invalid_output", true, false);

        private final String code;
        private final boolean retryable;
        private final boolean outage;

        Kind(String code, boolean retryable, boolean outage) {
            this.code = code;
            this.retryable = retryable;
            this.outage = outage;
        }
    }

    private final Kind kind;
    private final Duration retryAfter;
    private final boolean dailyQuota;

    public GeminiFailure(Kind kind, String message, Duration retryAfter, Throwable cause) {
        this(kind, message, retryAfter, cause, false);
    }

    private GeminiFailure(Kind kind, String message, Duration retryAfter, Throwable cause, boolean dailyQuota) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.dailyQuota = dailyQuota;
    }

    /** A 429 on a per-day quota: the model answers us no more before the quota resets. */
    static GeminiFailure dailyQuota(String message, Duration retryAfter, Throwable cause) {
        return new GeminiFailure(Kind.QUOTA_EXHAUSTED, message, retryAfter, cause, true);
    }

    public GeminiFailure(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** Stable machine-readable reason, used as the job's error code. */
    public String code() {
        return kind.code;
    }

    public boolean retryable() {
        return kind.retryable;
    }

    /** Whether this is a spent per-day quota of the model (its breaker opens at once). */
    public boolean isDailyQuota() {
        return dailyQuota;
    }

    /** Whether this failure says the provider is down (it counts against the circuit breaker). */
    public boolean isOutage() {
        return kind.outage;
    }

    /**
     * What went wrong, for a log line: the code, the HTTP status (when Gemini answered), the exception class of the
     * root cause and its message, e.g. {@code unavailable: 503 ServerException: The model is overloaded}.
     */
    public String describe() {
        Throwable root = this;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String status = getCause() instanceof com.google.genai.errors.ApiException api ? api.code() + " " : "";
        return code() + ": " + status + (root == this ? "" : root.getClass().getSimpleName() + ": ")
                + (root.getMessage() == null ? getMessage() : root.getMessage());
    }

    /** The provider's own wait, when it gave one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
