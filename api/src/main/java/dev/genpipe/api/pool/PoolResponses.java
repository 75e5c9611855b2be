package dev.genpipe.api.pool;

import dev.genpipe.common.pool.WorkerCommand;
import dev.genpipe.common.pool.WorkerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The JSON bodies of the pool's admin endpoints. */
final class PoolResponses {

    private PoolResponses() {
    }

    /** {@code GET /api/circuit-breaker/state}. */
    record BreakerState(String state, List<Worker> workers, Instant checkedAt) {

        static BreakerState of(WorkerPool.Snapshot pool) {
            return new BreakerState(pool.state().json(), pool.workers().stream().map(Worker::of).toList(),
                    pool.checkedAt());
        }
    }

    /**
     * One live worker.
     *
     * @param state       its breaker state, lower case ({@code closed}, {@code open}, {@code half_open}, ...)
     * @param failureRate failure rate of the breaker's window in percent, one decimal; -1 while it has too few calls
     * @param lastSeen    time of its latest heartbeat
     */
    record Worker(String workerId, String state, Instant since, double failureRate, boolean paused,
            long pausedTotalMs, int inFlight, int maxInFlight, Instant lastSeen) {

        static Worker of(WorkerStatus status) {
            return new Worker(status.workerId(), PoolState.normalize(status.breakerState()).toLowerCase(Locale.ROOT),
                    status.breakerSince(), round(status.failureRate()), status.paused(),
                    status.pausedTotal() == null ? 0 : status.pausedTotal().toMillis(), status.inFlight(),
                    status.maxInFlight(), status.at());
        }

        private static double round(float rate) {
            return rate < 0 ? -1 : Math.round(rate * 10.0) / 10.0;
        }
    }

    /** {@code 202} of a command: its id, and the live workers it should reach. */
    record CommandAccepted(String commandId, WorkerCommand.Kind command, List<String> workers) {

        static CommandAccepted of(WorkerCommand command, WorkerPool.Snapshot pool) {
            return new CommandAccepted(command.commandId(), command.kind(), pool.workerIds());
        }
    }
}
