package dev.genpipe.common.event;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobStatus;
import java.time.Instant;

/**
 * The job ended without a result. {@code code} is a stable machine-readable reason
 * ({@code invalid_request}, {@code retries_exhausted}, {@code expired}, ...), {@code reason} is for people.
 */
public record JobFailed(JobId jobId, Instant at, String code, String reason) implements JobEvent {

    @Override
    public JobStatus status() {
        return JobStatus.FAILED;
    }
}
