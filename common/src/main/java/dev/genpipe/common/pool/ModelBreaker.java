package dev.genpipe.common.pool;

import java.time.Instant;

/**
 * A worker's circuit breaker of one Gemini model, in its {@link WorkerStatus}.
 *
 * @param model       the model it guards (null from a worker that did not say)
 * @param state       Resilience4j state name: CLOSED, OPEN, HALF_OPEN, ...
 * @param since       when it entered that state
 * @param failureRate failure rate of its window in percent, or -1 while it has too few calls
 * @param failedCalls failed calls in its window
 */
public record ModelBreaker(String model, String state, Instant since, float failureRate, int failedCalls) {
}
