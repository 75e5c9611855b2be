package dev.genpipe.common.event;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobStatus;
import java.time.Instant;

/** The API accepted the job; written in the same Kafka transaction as the {@link JobRequested}. */
public record JobQueued(JobId jobId, Instant at, JobRequested request) implements JobEvent {

    public static JobQueued of(JobRequested request) {
        return new JobQueued(request.jobId(), request.requestedAt(), request);
    }

    @Override
    public JobStatus status() {
        return JobStatus.QUEUED;
    }
}
