package dev.genpipe.common.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobStatus;
import java.time.Instant;

/**
 * A state change of one job, as published on {@code genpipe.job-events} (key: job id). Status polling and
 * SSE both read these events, folded into a {@link dev.genpipe.common.view.JobView}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobQueued.class, name = "queued"),
        @JsonSubTypes.Type(value = JobStarted.class, name = "started"),
        @JsonSubTypes.Type(value = JobRequeued.class, name = "requeued"),
        @JsonSubTypes.Type(value = JobSucceeded.class, name = "succeeded"),
        @JsonSubTypes.Type(value = JobFailed.class, name = "failed"),
        @JsonSubTypes.Type(value = JobCancelled.class, name = "cancelled"),
        @JsonSubTypes.Type(value = JobPlanned.class, name = "planned"),
        @JsonSubTypes.Type(value = SectionCompleted.class, name = "section"),
        @JsonSubTypes.Type(value = JobDelta.class, name = "delta"),
        @JsonSubTypes.Type(value = JobWebhook.class, name = "webhook")})
public sealed interface JobEvent
        permits JobQueued, JobStarted, JobRequeued, JobSucceeded, JobFailed, JobCancelled, JobProgress, JobWebhook {

    JobId jobId();

    Instant at();

    /** The state the job is in after this event. */
    @JsonIgnore
    JobStatus status();
}
