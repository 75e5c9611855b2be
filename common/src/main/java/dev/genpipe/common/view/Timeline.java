package dev.genpipe.common.view;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobWebhook;
import dev.genpipe.common.job.IllegalTransitionException;
import dev.genpipe.common.job.JobId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One job's {@link JobView} together with its history: the events folded into it, numbered 1, 2, ... in the order
 * they were taken. The view stays small; the history is what SSE replays to a client that resumes. Thread-safe: one
 * writer (the fold) and any number of readers (status reads, SSE streams).
 *
 * <p>Sequence number 1 is the job's {@code queued} event, taken from its request on {@code genpipe.jobs}; every
 * later number comes from {@code genpipe.job-events}, in that partition's order. Both orders are the same for every
 * reader, so every API instance numbers a job's events alike, which is what makes resumption exact anywhere.
 */
public final class Timeline {

    private final List<SequencedEvent> events = new ArrayList<>(4);
    private volatile JobView view;

    private Timeline(JobView view) {
        this.view = view;
    }

    /** A job whose first event seen is {@code first} (its {@code queued} event, normally). */
    public static Timeline of(JobEvent first) {
        Timeline timeline = new Timeline(JobView.unknown(first.jobId(), first.at()));
        timeline.apply(first);
        return timeline;
    }

    /** A job known by its id only (its events arrive before its request). */
    public static Timeline unknown(JobId jobId, Instant at) {
        return new Timeline(JobView.unknown(jobId, at));
    }

    public JobView view() {
        return view;
    }

    /**
     * Folds {@code event} through the lifecycle guard.
     *
     * @return the events added to the history (empty when the guard refused it: a repeat, or a late event)
     */
    public synchronized List<SequencedEvent> apply(JobEvent event) {
        JobView before = view;
        List<SequencedEvent> added = new ArrayList<>(2);
        JobView next;
        try {
            if (event instanceof JobQueued) {
                next = before.step(event, taken -> added.add(new SequencedEvent(1, taken)));
            } else {
                long[] seq = {before.seq()};
                next = before.step(event, taken -> added.add(new SequencedEvent(++seq[0], taken)));
            }
        } catch (IllegalTransitionException e) {
            return List.of();
        }
        if (event instanceof JobQueued) {
            events.addAll(0, added); // seq 1, whenever it arrives
        } else {
            events.addAll(added);
        }
        view = next;
        return added;
    }

    /**
     * Notes how the job's completion webhook went ({@link JobView#withWebhook}): the view changes, the history does
     * not (a webhook report is no event of the job's lifecycle; SSE streams, closed at the terminal event, never see
     * it). @return false when the view refused it (the job has not ended, or the report is stale)
     */
    public synchronized boolean note(JobWebhook report) {
        try {
            view = view.withWebhook(report);
            return true;
        } catch (IllegalTransitionException e) {
            return false;
        }
    }

    /** The events after {@code lastSeq} (0 for all): what an SSE client that saw {@code lastSeq} has missed. */
    public synchronized List<SequencedEvent> eventsAfter(long lastSeq) {
        int low = 0;
        int high = events.size(); // the first index whose seq is above lastSeq: events are in seq order
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (events.get(middle).seq() <= lastSeq) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        int from = low;
        return from == events.size() ? List.of() : List.copyOf(events.subList(from, events.size()));
    }

    /** Every event, in order. */
    public List<SequencedEvent> events() {
        return eventsAfter(0);
    }

    /** The sequence number of the latest event. */
    public long lastSeq() {
        return view.seq();
    }
}
