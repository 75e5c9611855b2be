package dev.genpipe.api.pool;

import dev.genpipe.common.pool.WorkerCommand;
import dev.genpipe.common.pool.ModelBreaker;
import dev.genpipe.common.pool.WorkerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** The JSON bodies of the pool's admin endpoints. */
final class PoolResponses {

    private PoolResponses() {
    }

    /**
     * {@code GET /api/circuit-breaker/state}: {@code state} is the pool's state of the primary model's breakers (as it
     * always was), {@code models} the pool's state of each model's breakers, the primary first.
     */
    record BreakerState(String state, List<ModelState> models, List<Worker> workers, Instant checkedAt) {

        static BreakerState of(WorkerPool.Snapshot pool) {
            return new BreakerState(pool.state().json(), ModelState.of(pool.workers()),
                    pool.workers().stream().map(Worker::of).toList(), pool.checkedAt());
        }
    }

    /** One model's breakers across the live workers: their overall state ({@link PoolState}). */
    record ModelState(String model, String state) {

        static List<ModelState> of(List<WorkerStatus> workers) {
            Map<String, List<String>> states = new LinkedHashMap<>();
            for (WorkerStatus worker : workers) {
                for (ModelBreaker breaker : worker.modelBreakers()) {
                    states.computeIfAbsent(String.valueOf(breaker.model()), m -> new ArrayList<>())
                            .add(breaker.state());
                }
            }
            return states.entrySet().stream()
                    .map(e -> new ModelState(e.getKey(), PoolState.of(e.getValue()).json())).toList();
        }
    }

    /** One of a worker's breakers: the model it guards, lower-case state, since when, failure rate. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "WorkerModelBreaker")
    record Breaker(String model, String state, Instant since, double failureRate) {

        static Breaker of(ModelBreaker breaker) {
            return new Breaker(breaker.model(), lower(breaker.state()), breaker.since(),
                    Worker.round(breaker.failureRate()));
        }
    }

    /**
     * One live worker.
     *
     * @param state       its breaker state, lower case ({@code closed}, {@code open}, {@code half_open}, ...)
     * @param failureRate failure rate of the breaker's window in percent, one decimal; -1 while it has too few calls
     * @param lastSeen    time of its latest heartbeat
     * @param breakers    its breaker of each model, the primary (the fields above) first
     */
    record Worker(String workerId, String state, Instant since, double failureRate, boolean paused,
            long pausedTotalMs, int inFlight, int maxInFlight, Instant lastSeen, List<Breaker> breakers) {

        static Worker of(WorkerStatus status) {
            return new Worker(status.workerId(), lower(status.breakerState()),
                    status.breakerSince(), round(status.failureRate()), status.paused(),
                    status.pausedTotal() == null ? 0 : status.pausedTotal().toMillis(), status.inFlight(),
                    status.maxInFlight(), status.at(), status.modelBreakers().stream().map(Breaker::of).toList());
        }

        static double round(float rate) {
            return rate < 0 ? -1 : Math.round(rate * 10.0) / 10.0;
        }
    }

    private static String lower(String breakerState) {
        return PoolState.normalize(breakerState).toLowerCase(Locale.ROOT);
    }

    /** {@code 202} of a command: its id, and the live workers it should reach. */
    record CommandAccepted(String commandId, WorkerCommand.Kind command, List<String> workers) {

        static CommandAccepted of(WorkerCommand command, WorkerPool.Snapshot pool) {
            return new CommandAccepted(command.commandId(), command.kind(), pool.workerIds());
        }
    }
}
