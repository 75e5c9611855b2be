package dev.genpipe.api.jobs;

import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.JobType;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.view.JobView;
import java.time.Instant;

/** The body of {@code GET /api/jobs/{id}}. */
record JobResponse(
        String jobId,
        JobType type,
        JobInput input,
        JobStatus status,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        JobResult result,
        JobError error,
        boolean cached,
        TokenUsage usage,
        String model,
        JobLinks links) {

    /** Why a job failed, was cancelled, or is being retried. */
    record JobError(String code, String message) {
    }

    static JobResponse of(JobView view) {
        boolean succeeded = view.status() == JobStatus.SUCCEEDED;
        JobError error = view.errorCode() == null && view.error() == null
                ? null : new JobError(view.errorCode(), view.error());
        return new JobResponse(
                view.jobId().toString(),
                view.request() == null ? null : view.request().type(),
                view.request() == null ? null : view.request().input(),
                view.status(),
                view.attempts(),
                view.createdAt(),
                view.updatedAt(),
                view.startedAt(),
                view.finishedAt(),
                succeeded ? view.result() : null,
                error,
                view.cached(),
                view.usage(),
                view.model(),
                JobLinks.of(view.jobId()));
    }
}
