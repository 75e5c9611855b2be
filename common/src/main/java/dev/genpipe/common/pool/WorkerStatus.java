package dev.genpipe.common.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One worker's heartbeat on {@code genpipe.worker-status} (key: worker id): its circuit breaker and consumption.
 * Published on every breaker transition and every {@code heartbeat}; the API shows the workers seen within three
 * heartbeats as the pool.
 *
 * @param breakerState  Resilience4j state name: CLOSED, OPEN, HALF_OPEN (also FORCED_OPEN, DISABLED, METRICS_ONLY)
 * @param breakerSince  when the breaker entered that state
 * @param failureRate   failure rate of the breaker's window in percent, or -1 when it has too few calls yet
 * @param paused        whether the worker stopped taking new jobs from Kafka
 * @param pausedTotal   time spent paused since the worker started
 * @param inFlight      jobs being processed now
 * @param maxInFlight   the worker's in-flight bound
 * @param cache         the worker's result cache (null from workers that do not report it)
 * @param gemini        {@code gemini-api} or {@code offline-stand-in}
 * @param model         the Gemini model it calls
 * @param failedCalls   failed calls in the breaker's window (0 from workers that do not report it)
 * @param breakers      one breaker per model the worker may call, the primary ({@code model}) first, then the
 *                      fallback (null from workers that do not report it: their one breaker is the fields above);
 *                      {@code breakerState} and the fields after it are the primary's
 */
public record WorkerStatus(
        String workerId,
        Instant at,
        Duration heartbeat,
        String breakerState,
        Instant breakerSince,
        float failureRate,
        boolean paused,
        Duration pausedTotal,
        int inFlight,
        int maxInFlight,
        CacheStatus cache,
        String gemini,
        String model,
        int failedCalls,
        List<ModelBreaker> breakers) {

    /** A status with one breaker only (the primary model's: the fields above). */
    public WorkerStatus(String workerId, Instant at, Duration heartbeat, String breakerState, Instant breakerSince,
                        float failureRate, boolean paused, Duration pausedTotal, int inFlight, int maxInFlight,
                        CacheStatus cache, String gemini, String model, int failedCalls) {
        this(workerId, at, heartbeat, breakerState, breakerSince, failureRate, paused, pausedTotal, inFlight,
                maxInFlight, cache, gemini, model, failedCalls, null);
    }

    /** A status without cache and Gemini details. */
    public WorkerStatus(String workerId, Instant at, Duration heartbeat, String breakerState, Instant breakerSince,
                        float failureRate, boolean paused, Duration pausedTotal, int inFlight, int maxInFlight) {
        this(workerId, at, heartbeat, breakerState, breakerSince, failureRate, paused, pausedTotal, inFlight,
                maxInFlight, null, null, null, 0);
    }

    /** A status without the failed-call count. */
    public WorkerStatus(String workerId, Instant at, Duration heartbeat, String breakerState, Instant breakerSince,
                        float failureRate, boolean paused, Duration pausedTotal, int inFlight, int maxInFlight,
                        CacheStatus cache, String gemini, String model) {
        this(workerId, at, heartbeat, breakerState, breakerSince, failureRate, paused, pausedTotal, inFlight,
                maxInFlight, cache, gemini, model, 0);
    }

    /**
     * The worker's breakers, one per model: as reported, or for a worker that reports only one breaker, that one
     * (named by {@code model}).
     */
    public List<ModelBreaker> modelBreakers() {
        if (breakers != null && !breakers.isEmpty()) {
            return breakers;
        }
        return List.of(new ModelBreaker(model, breakerState, breakerSince, failureRate, failedCalls));
    }

    /** Whether this heartbeat is recent enough for the worker to count as alive at {@code now}. */
    public boolean isLive(Instant now) {
        return at.plus(heartbeat.multipliedBy(3)).isAfter(now);
    }
}
