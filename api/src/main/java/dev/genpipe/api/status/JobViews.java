package dev.genpipe.api.status;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.Timeline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * Reads jobs from this instance's state ({@link JobFold}). A job that is not there yet may have been accepted a moment
 * ago by another instance (its request is on its way through Kafka): the read waits for it, up to
 * {@code genpipe.api.read-your-writes-wait}, so a client polling right after its 202 never sees a 404.
 */
@Component
public class JobViews {

    private final JobStateReader reader;
    private final JobUpdates updates;
    private final Duration readYourWritesWait;

    JobViews(JobStateReader reader, JobUpdates updates, ApiSettings settings) {
        this.reader = reader;
        this.updates = updates;
        this.readYourWritesWait = settings.readYourWritesWait();
    }

    /** The job's current view, without waiting. @throws JobStateLoading when the state is still loading */
    public Optional<JobView> peek(JobId jobId) {
        return Optional.ofNullable(known(jobId)).map(Timeline::view);
    }

    /**
     * The job's current view, waiting a little for one that is not known yet.
     *
     * @throws JobStateLoading when the state is still loading
     */
    public Optional<JobView> find(JobId jobId) {
        return timeline(jobId).map(Timeline::view);
    }

    /**
     * The job's view and history, waiting a little for a job not known yet.
     *
     * @throws JobStateLoading when the state is still loading
     */
    public Optional<Timeline> timeline(JobId jobId) {
        return awaitTimeline(jobId, t -> t.view().request() != null, readYourWritesWait);
    }

    /**
     * The job's view once it has ended, waiting at most {@code max} for that. @return empty when it did not end in
     * time (or is unknown) @throws JobStateLoading when the state is still loading
     */
    public Optional<JobView> awaitEnd(JobId jobId, Duration max) {
        return awaitTimeline(jobId, t -> t.view().status().isTerminal(), max).map(Timeline::view);
    }

    /** The job's timeline once {@code condition} holds for it, waiting at most {@code max}; empty when it did not. */
    private Optional<Timeline> awaitTimeline(JobId jobId, Predicate<Timeline> condition, Duration max) {
        Timeline now = known(jobId);
        if (now != null && condition.test(now)) {
            return Optional.of(now);
        }
        CompletableFuture<Timeline> reached = new CompletableFuture<>();
        try (JobUpdates.Subscription ignored = updates.subscribe(jobId, t -> {
            if (condition.test(t)) {
                reached.complete(t);
            }
        })) {
            now = known(jobId); // it may have changed between the first read and the subscription
            if (now != null && condition.test(now)) {
                return Optional.of(now);
            }
            return Optional.of(reached.get(max.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    /**
     * Whether this instance's state has folded the record at {@code offset} of {@code topic}'s {@code partition} (what
     * another reader of the topic waits for before it asks about the jobs that record changed). False while loading.
     */
    public boolean folded(String topic, int partition, long offset) {
        return reader.ready() && reader.fold().folded(topic, partition, offset);
    }

    /** A job Kafka has just acknowledged: readable on this instance at once. */
    public void accepted(JobRequested request) {
        reader.fold().accepted(request);
    }

    /** The job when its request is known (a job seen only through its events has no owner yet). */
    private Timeline known(JobId jobId) {
        if (!reader.ready()) {
            throw new JobStateLoading();
        }
        Timeline timeline = reader.fold().timeline(jobId);
        return timeline == null || timeline.view().request() == null ? null : timeline;
    }
}
