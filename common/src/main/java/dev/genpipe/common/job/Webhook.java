package dev.genpipe.common.job;

import java.time.Instant;

/**
 * Where the delivery of a job's completion webhook stands: {@code attempts} made so far, the last answer (an HTTP
 * {@code lastStatus}, or {@code lastError} when there was none: a timeout, a refused connection, a refused address),
 * and its {@code state}. Shown on the job ({@code GET /api/jobs/{id}}, field {@code webhook}).
 */
public record Webhook(int attempts, Integer lastStatus, String lastError, State state, Instant at) {

    /** {@code RETRYING} until the receiver answered 2xx ({@code DELIVERED}) or the retry time ran out. */
    public enum State {
        RETRYING, DELIVERED, GIVEN_UP;

        public boolean isFinal() {
            return this != RETRYING;
        }
    }

    /** Whether this report says more than {@code earlier}: a later attempt, or the same attempt's final word. */
    public boolean supersedes(Webhook earlier) {
        return earlier == null || attempts > earlier.attempts
                || (attempts == earlier.attempts && state.isFinal() && !earlier.state.isFinal());
    }
}
