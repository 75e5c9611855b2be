package dev.genpipe.api.pool;

import dev.genpipe.api.status.WorkerStatuses;
import dev.genpipe.common.pool.WorkerStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The worker pool as the API sees it: the workers whose latest heartbeat is recent ({@link WorkerStatus#isLive}),
 * sorted by id, and the pool's overall breaker state.
 */
@Component
public class WorkerPool {

    /** The pool at one instant. */
    public record Snapshot(PoolState state, List<WorkerStatus> workers, Instant checkedAt) {

        List<String> workerIds() {
            return workers.stream().map(WorkerStatus::workerId).toList();
        }
    }

    private final WorkerStatuses statuses;

    WorkerPool(WorkerStatuses statuses) {
        this.statuses = statuses;
    }

    /** @throws dev.genpipe.api.status.JobStateLoading when the worker status store is still loading */
    public Snapshot now() {
        return at(statuses.all(), Instant.now());
    }

    static Snapshot at(List<WorkerStatus> all, Instant now) {
        List<WorkerStatus> live = all.stream()
                .filter(status -> status.isLive(now))
                .sorted(Comparator.comparing(WorkerStatus::workerId))
                .toList();
        return new Snapshot(PoolState.of(live.stream().map(WorkerStatus::breakerState).toList()), live, now);
    }
}
