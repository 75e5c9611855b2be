package dev.genpipe.common.event;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobStatus;
import java.time.Instant;

/** The job goes back to the queue: a retry after a retryable failure, or its worker was lost. */
public record JobRequeued(JobId jobId, Instant at, String reason) implements JobEvent {

    public static final String WORKER_LOST = "previous attempt was interrupted (worker stopped or lost its partition)";

    @Override
    public JobStatus status() {
        return JobStatus.QUEUED;
    }
}
