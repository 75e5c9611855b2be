package dev.genpipe.api.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.common.pool.WorkerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void knowsNothingWithoutLiveWorkers() {
        assertThat(state()).isEqualTo(PoolState.UNKNOWN);
        assertThat(WorkerPool.at(List.of(worker("gone", "CLOSED", NOW.minusSeconds(16))), NOW).state())
                .isEqualTo(PoolState.UNKNOWN);
    }

    @Test
    void isClosedWhenEveryBreakerLetsCallsThrough() {
        assertThat(state("CLOSED")).isEqualTo(PoolState.CLOSED);
        assertThat(state("CLOSED", "DISABLED", "closed")).isEqualTo(PoolState.CLOSED);
    }

    @Test
    void isOpenWhenEveryBreakerIsOpen() {
        assertThat(state("OPEN", "FORCED_OPEN")).isEqualTo(PoolState.OPEN);
    }

    @Test
    void isHalfOpenWhileBreakersProbeAndNoneIsOpen() {
        assertThat(state("HALF_OPEN")).isEqualTo(PoolState.HALF_OPEN);
        assertThat(state("CLOSED", "HALF_OPEN")).isEqualTo(PoolState.HALF_OPEN);
    }

    @Test
    void isDegradedWhenSomeWorkersCallGeminiAndOthersDoNot() {
        assertThat(state("CLOSED", "OPEN")).isEqualTo(PoolState.DEGRADED);
        assertThat(state("HALF_OPEN", "OPEN")).isEqualTo(PoolState.DEGRADED);
        assertThat(state("CLOSED", null)).isEqualTo(PoolState.DEGRADED);
    }

    @Test
    void listsOnlyWorkersSeenWithinThreeHeartbeatsSortedById() {
        WorkerPool.Snapshot pool = WorkerPool.at(List.of(
                worker("worker-c", "CLOSED", NOW.minusSeconds(14)),
                worker("worker-a", "OPEN", NOW),
                worker("worker-old", "OPEN", NOW.minusSeconds(15)),
                worker("worker-b", "CLOSED", NOW.minusSeconds(1))), NOW);

        assertThat(pool.workerIds()).containsExactly("worker-a", "worker-b", "worker-c");
        assertThat(pool.state()).isEqualTo(PoolState.DEGRADED);
        assertThat(pool.checkedAt()).isEqualTo(NOW);
    }

    @Test
    void namesStatesInLowerCaseInJson() {
        assertThat(PoolState.HALF_OPEN.json()).isEqualTo("half_open");
    }

    private static PoolState state(String... breakerStates) {
        List<WorkerStatus> workers = new java.util.ArrayList<>();
        for (int i = 0; i < breakerStates.length; i++) {
            workers.add(worker("worker-" + i, breakerStates[i], NOW));
        }
        return WorkerPool.at(workers, NOW).state();
    }

    private static WorkerStatus worker(String id, String breakerState, Instant at) {
        return new WorkerStatus(id, at, Duration.ofSeconds(5), breakerState, at, -1, false, Duration.ZERO, 0, 256);
    }
}
