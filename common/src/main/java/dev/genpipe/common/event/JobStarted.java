package dev.genpipe.common.event;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobStatus;
import java.time.Instant;

/** A worker took the job. */
public record JobStarted(JobId jobId, Instant at, String workerId) implements JobEvent {

    @Override
    public JobStatus status() {
        return JobStatus.RUNNING;
    }
}
