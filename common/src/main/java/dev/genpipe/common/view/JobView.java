package dev.genpipe.common.view;

import dev.genpipe.common.event.JobCancelled;
import dev.genpipe.common.event.JobDelta;
import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobFailed;
import dev.genpipe.common.event.JobPlanned;
import dev.genpipe.common.event.JobProgress;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobRequeued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.event.JobWebhook;
import dev.genpipe.common.event.SectionCompleted;
import dev.genpipe.common.job.IllegalTransitionException;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.PresentationInput;
import dev.genpipe.common.job.Section;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.job.Webhook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything known about one job, small: its request, status, counters, result and {@link #seq() the sequence number}
 * of the last event folded into it, never its history (a {@link Timeline} keeps that apart). Immutable; {@link #apply}
 * returns the next view. Folded by every API instance from {@code genpipe.jobs} and {@code genpipe.job-events}.
 *
 * <p>Progress events ({@link JobProgress}: a presentation's plan and completed sections, an explanation's text
 * deltas) do not change the state; they are accepted only before the job ended. A presentation ends when its last
 * section completes: SUCCEEDED with every section (failed ones marked), or FAILED when every section failed.
 */
public record JobView(
        JobId jobId,
        JobRequested request,
        JobStatus status,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        JobResult result,
        boolean cached,
        TokenUsage usage,
        String model,
        String errorCode,
        String error,
        Plan plan,
        Webhook webhook,
        long seq) {

    /** The view of a job whose first event is {@code first}. */
    public static JobView of(JobEvent first) {
        return of(first, taken -> { });
    }

    /** {@link #of(JobEvent)}, telling {@code taken} each event it took (see {@link #step}). */
    static JobView of(JobEvent first, Consumer<JobEvent> taken) {
        return unknown(first.jobId(), first.at()).step(first, taken);
    }

    /**
     * A job known only by its id so far: QUEUED, with sequence number 1 reserved for its {@code queued} event, which
     * lives on another topic than the rest of its events ({@code genpipe.jobs}) and may arrive after them.
     */
    static JobView unknown(JobId jobId, Instant at) {
        return new JobView(jobId, null, JobStatus.QUEUED, 0, at, at, null, null, null, false, null, null, null,
                null, null, null, 1);
    }

    /**
     * The next view after {@code event}, through the lifecycle guard.
     *
     * @throws IllegalTransitionException when the event is not a legal move from the current state (a duplicate
     *                                    delivery, for instance); callers keep the current view
     */
    public JobView apply(JobEvent event) {
        return step(event, taken -> { });
    }

    /**
     * {@link #apply}, telling {@code taken} every event the step adds to the job's history, in order: the event
     * itself, and those it implies (a lost attempt before a second start, a presentation's outcome after its last
     * section). Each one taken raises {@link #seq()} by one. Nothing is taken when the guard refuses the event.
     */
    JobView step(JobEvent event, Consumer<JobEvent> taken) {
        if (event instanceof JobQueued queued) {
            if (request != null) {
                throw new IllegalTransitionException(status, JobStatus.QUEUED); // a repeat
            }
            return withRequest(queued, taken);
        }
        if (event instanceof JobStarted && status == JobStatus.RUNNING) {
            // the record was delivered again: the previous attempt died without a word
            return step(new JobRequeued(jobId, event.at(), JobRequeued.WORKER_LOST), taken).step(event, taken);
        }
        if (event instanceof JobProgress progress) {
            return progress(progress, taken);
        }
        if (event instanceof JobWebhook) {
            throw new IllegalTransitionException(status, status); // not part of the history: see withWebhook
        }
        status.moveTo(event.status());
        return append(event, taken);
    }

    /** The request arrived (it is the job's first event, seq 1, whenever it is read): nothing else changes. */
    private JobView withRequest(JobQueued queued, Consumer<JobEvent> taken) {
        taken.accept(queued);
        return new JobView(jobId, queued.request(), status, attempts, queued.at(), seq == 1 ? queued.at() : updatedAt,
                startedAt, finishedAt, result, cached, usage, model, errorCode, error, plan, webhook, seq);
    }

    private JobView progress(JobProgress event, Consumer<JobEvent> taken) {
        if (status.isTerminal() || (event instanceof JobDelta && status != JobStatus.RUNNING)
                || (event instanceof JobPlanned && plan != null && !plan.sectionJobs().isEmpty())) {
            throw new IllegalTransitionException(status, status); // late, or a repeat: ignored
        }
        if (event instanceof SectionCompleted section) {
            Plan before = plan == null ? new Plan(List.of(), List.of(), List.of()) : plan;
            Plan after = before.with(section.section());
            if (after == before) {
                throw new IllegalTransitionException(status, status); // this section was counted already
            }
            JobView next = append(new SectionCompleted(jobId, section.at(), section.section(), section.usage(),
                    after.completed().size(), after.sectionJobs().size()), taken);
            return next.plan.complete() ? next.append(next.presentationOutcome(section.at()), taken) : next;
        }
        return append(event, taken);
    }

    private JobEvent presentationOutcome(Instant at) {
        List<Section> sections = plan.completed();
        int failed = (int) sections.stream().filter(s -> s.status() != JobStatus.SUCCEEDED).count();
        if (failed == sections.size()) {
            return new JobFailed(jobId, at, "sections_failed", "every section of the presentation failed; the first: "
                    + sections.getFirst().error());
        }
        String topic = request != null && request.input() instanceof PresentationInput p ? p.topic() : null;
        return new JobSucceeded(jobId, at, new JobResult.Presentation(topic, sections, failed), false, usage, null);
    }

    private JobView append(JobEvent event, Consumer<JobEvent> taken) {
        taken.accept(event);
        long history = seq + 1;
        Instant at = event.at();
        return switch (event) {
            case JobQueued q -> new JobView(jobId, q.request(), JobStatus.QUEUED, attempts, q.at(), at,
                    startedAt, finishedAt, result, cached, usage, model, errorCode, error, plan, webhook, history);
            case JobStarted s -> new JobView(jobId, request, JobStatus.RUNNING, attempts + 1, createdAt, at,
                    startedAt == null ? at : startedAt, null, result, cached, usage, model, errorCode, error, plan,
                    webhook, history);
            case JobRequeued r -> new JobView(jobId, request, JobStatus.QUEUED, attempts, createdAt, at,
                    startedAt, null, result, cached, usage, model, "retrying", r.reason(), plan, webhook, history);
            case JobSucceeded s -> new JobView(jobId, request, JobStatus.SUCCEEDED, attempts, createdAt, at,
                    startedAt, at, s.result(), s.cached(), s.usage(), s.model(), null, null, plan, webhook, history);
            case JobFailed f -> new JobView(jobId, request, JobStatus.FAILED, attempts, createdAt, at,
                    startedAt, at, null, false, usage, model, f.code(), f.reason(), plan, webhook, history);
            case JobCancelled c -> new JobView(jobId, request, JobStatus.CANCELLED, attempts, createdAt, at,
                    startedAt, at, null, false, usage, model, "cancelled", c.reason(), plan, webhook, history);
            case JobPlanned p -> new JobView(jobId, request, status, attempts, createdAt, at, startedAt,
                    finishedAt, result, cached, usage, model, errorCode, error,
                    new Plan(p.subtopics(), p.sections(), plan == null ? List.of() : plan.completed()), webhook,
                    history);
            case SectionCompleted c -> new JobView(jobId, request, status, attempts, createdAt, at, startedAt,
                    finishedAt, result, cached, add(usage, c.usage()), model, errorCode, error,
                    (plan == null ? new Plan(List.of(), List.of(), List.of()) : plan).with(c.section()), webhook,
                    history);
            case JobWebhook w -> throw new IllegalStateException("a webhook report is never appended");
            case JobDelta d -> new JobView(jobId, request, status, attempts, createdAt, at, startedAt, finishedAt,
                    result, cached, usage, model, errorCode, error, plan, webhook, history);
        };
    }

    /**
     * The view with the webhook delivery {@code report} noted: no state change, no event of the history (the sequence
     * number stays). Accepted only for a job that has ended as the report says, and only when it says more than the
     * report noted before (a later attempt, or the final word).
     *
     * @throws IllegalTransitionException when the job has not ended (so) or the report is stale; callers keep the view
     */
    public JobView withWebhook(JobWebhook report) {
        if (status != report.jobStatus() || !status.isTerminal() || report.webhook() == null
                || !report.webhook().supersedes(webhook)) {
            throw new IllegalTransitionException(status, report.jobStatus());
        }
        return new JobView(jobId, request, status, attempts, createdAt, updatedAt, startedAt, finishedAt, result,
                cached, usage, model, errorCode, error, plan, report.webhook(), seq);
    }

    private static TokenUsage add(TokenUsage a, TokenUsage b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new TokenUsage(a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
                a.totalTokens() + b.totalTokens());
    }

    /** Whether this job is a section of a presentation. */
    public boolean isSection() {
        return request != null && request.parentId() != null;
    }
}
