package dev.genpipe.common.view;

import dev.genpipe.common.event.JobCancelled;
import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobFailed;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobRequeued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.IllegalTransitionException;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything known about one job: its events folded through the lifecycle guard. Immutable; {@link #apply}
 * returns the next view. Materialized by the API (Kafka Streams) and published on {@code genpipe.job-state}.
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
        List<SequencedEvent> events) {

    public JobView {
        events = List.copyOf(events);
    }

    /** The view of a job whose first event is {@code first}. */
    public static JobView of(JobEvent first) {
        JobRequested request = first instanceof JobQueued queued ? queued.request() : null;
        JobView empty = new JobView(first.jobId(), request, JobStatus.QUEUED, 0, first.at(), first.at(),
                null, null, null, false, null, null, null, null, List.of());
        return first instanceof JobQueued ? empty.append(first) : empty.apply(first);
    }

    /**
     * The next view after {@code event}, through the lifecycle guard.
     *
     * @throws IllegalTransitionException when the event is not a legal move from the current state (a duplicate
     *                                    delivery, for instance); callers keep the current view
     */
    public JobView apply(JobEvent event) {
        if (event instanceof JobStarted && status == JobStatus.RUNNING) {
            // the record was delivered again: the previous attempt died without a word
            return apply(new JobRequeued(jobId, event.at(), JobRequeued.WORKER_LOST)).apply(event);
        }
        status.moveTo(event.status());
        return append(event);
    }

    private JobView append(JobEvent event) {
        List<SequencedEvent> history = new ArrayList<>(events.size() + 1);
        history.addAll(events);
        history.add(new SequencedEvent(events.size() + 1L, event));
        Instant at = event.at();
        return switch (event) {
            case JobQueued q -> new JobView(jobId, q.request(), JobStatus.QUEUED, attempts, q.at(), at,
                    startedAt, finishedAt, result, cached, usage, model, errorCode, error, history);
            case JobStarted s -> new JobView(jobId, request, JobStatus.RUNNING, attempts + 1, createdAt, at,
                    startedAt == null ? at : startedAt, null, result, cached, usage, model, errorCode, error, history);
            case JobRequeued r -> new JobView(jobId, request, JobStatus.QUEUED, attempts, createdAt, at,
                    startedAt, null, result, cached, usage, model, "retrying", r.reason(), history);
            case JobSucceeded s -> new JobView(jobId, request, JobStatus.SUCCEEDED, attempts, createdAt, at,
                    startedAt, at, s.result(), s.cached(), s.usage(), s.model(), null, null, history);
            case JobFailed f -> new JobView(jobId, request, JobStatus.FAILED, attempts, createdAt, at,
                    startedAt, at, null, false, usage, model, f.code(), f.reason(), history);
            case JobCancelled c -> new JobView(jobId, request, JobStatus.CANCELLED, attempts, createdAt, at,
                    startedAt, at, null, false, usage, model, "cancelled", c.reason(), history);
        };
    }

    /** The events after {@code lastSeq} (0 for all): what an SSE client that saw {@code lastSeq} has missed. */
    public List<SequencedEvent> eventsAfter(long lastSeq) {
        if (lastSeq <= 0) {
            return events;
        }
        return lastSeq >= events.size() ? List.of() : events.subList((int) lastSeq, events.size());
    }

    public long lastSeq() {
        return events.size();
    }
}
