package dev.genpipe.common.event;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.TokenUsage;
import java.time.Instant;

/** The job produced its result; {@code cached} when it came from the cache (then usage is the original call's). */
public record JobSucceeded(JobId jobId, Instant at, JobResult result, boolean cached, TokenUsage usage, String model)
        implements JobEvent {

    @Override
    public JobStatus status() {
        return JobStatus.SUCCEEDED;
    }
}
