package dev.genpipe.common.event;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobStatus;
import java.time.Instant;

/** The job was cancelled by its client. */
public record JobCancelled(JobId jobId, Instant at, String reason) implements JobEvent {

    @Override
    public JobStatus status() {
        return JobStatus.CANCELLED;
    }
}
