package dev.genpipe.api.jobs;

import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.JobType;
import dev.genpipe.common.job.Priority;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.job.Webhook;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.Plan;
import java.util.List;
import java.time.Instant;

/**
 * The body of {@code GET /api/jobs/{id}}: {@code model} is the model that answered (the fallback's when it did),
 * {@code allowFallback} what the request said (null: the workers' default).
 */
record JobResponse(
        String jobId,
        JobType type,
        JobInput input,
        Priority priority,
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
        Boolean allowFallback,
        Progress progress,
        String parentId,
        Integer section,
        Webhook webhook,
        JobLinks links) {

    /** A presentation's subtopics and which of its section jobs have completed so far. */
    record Progress(List<String> subtopics, List<String> sectionJobs, int completed, int total) {
        static Progress of(Plan plan) {
            return plan == null ? null : new Progress(plan.subtopics(),
                    plan.sectionJobs().stream().map(JobId::toString).toList(), plan.completed().size(),
                    plan.sectionJobs().size());
        }
    }

    /** Why a job failed, was cancelled, or is being retried. */
    record JobError(String code, String message) {
    }

    static JobResponse of(JobView view) {
        return of(view, view.webhook());
    }

    /** The job as its webhook's body: without the webhook's own delivery state, the same on every attempt. */
    static JobResponse withoutWebhook(JobView view) {
        return of(view, null);
    }

    private static JobResponse of(JobView view, Webhook webhook) {
        boolean succeeded = view.status() == JobStatus.SUCCEEDED;
        JobError error = view.errorCode() == null && view.error() == null
                ? null : new JobError(view.errorCode(), view.error());
        return new JobResponse(
                view.jobId().toString(),
                view.request() == null ? null : view.request().type(),
                view.request() == null ? null : view.request().input(),
                view.request() == null ? null : view.request().priority(),
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
                view.request() == null ? null : view.request().allowFallback(),
                Progress.of(view.plan()),
                view.request() == null || view.request().parentId() == null ? null
                        : view.request().parentId().toString(),
                view.request() == null ? null : view.request().section(),
                webhook,
                JobLinks.of(view.jobId()));
    }
}
