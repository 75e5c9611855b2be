package dev.genpipe.common.event;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.Webhook;
import java.time.Instant;

/**
 * How the completion webhook of a finished job went so far (one report per attempt's outcome), published by the API
 * instance that delivers it under the job's event key. It is no state change: {@code jobStatus} is the terminal status
 * the job already has, and the fold keeps the report on the job's view only ({@code Timeline.note}), outside its
 * history, so it has no sequence number and no SSE frame.
 */
public record JobWebhook(JobId jobId, Instant at, JobStatus jobStatus, Webhook webhook) implements JobEvent {

    @Override
    public JobStatus status() {
        return jobStatus;
    }
}
