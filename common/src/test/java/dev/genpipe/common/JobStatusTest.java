package dev.genpipe.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genpipe.common.job.IllegalTransitionException;
import dev.genpipe.common.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStatusTest {

    @Test
    void followsTheLifecycle() {
        assertThat(JobStatus.QUEUED.moveTo(JobStatus.RUNNING)).isEqualTo(JobStatus.RUNNING);
        assertThat(JobStatus.RUNNING.moveTo(JobStatus.QUEUED)).isEqualTo(JobStatus.QUEUED);
        assertThat(JobStatus.RUNNING.moveTo(JobStatus.SUCCEEDED)).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(JobStatus.RUNNING.canMoveTo(JobStatus.FAILED)).isTrue();
        assertThat(JobStatus.QUEUED.canMoveTo(JobStatus.CANCELLED)).isTrue();
        assertThat(JobStatus.QUEUED.canMoveTo(JobStatus.SUCCEEDED)).as("a cached answer: no call, never RUNNING").isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SUCCEEDED", "FAILED", "CANCELLED"})
    void terminalStatesAreFinal(JobStatus terminal) {
        assertThat(terminal.isTerminal()).isTrue();
        for (JobStatus next : JobStatus.values()) {
            assertThatThrownBy(() -> terminal.moveTo(next))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(terminal.name());
        }
    }

    @Test
    void queuedAndRunningAreNotTerminal() {
        assertThat(JobStatus.QUEUED.isTerminal()).isFalse();
        assertThat(JobStatus.RUNNING.isTerminal()).isFalse();
    }
}
