package dev.genpipe.api.status;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.view.Timeline;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * In-process hub of job state changes: the fold calls {@link #publish} with the timeline of every job that changed;
 * SSE streams and status reads waiting for a job subscribe to one job (or to every job). Listeners run on the fold's
 * thread: they must return at once (hand the timeline to another thread, which reads what it has not sent yet).
 */
@Component
public class JobUpdates {

    private static final Logger log = LoggerFactory.getLogger(JobUpdates.class);

    private final Map<JobId, Set<Consumer<Timeline>>> listeners = new ConcurrentHashMap<>();
    private final Set<Consumer<Timeline>> everything = new CopyOnWriteArraySet<>();

    /** Calls {@code listener} with every new view of {@code jobId} until the subscription is closed. */
    public Subscription subscribe(JobId jobId, Consumer<Timeline> listener) {
        listeners.computeIfAbsent(jobId, id -> new CopyOnWriteArraySet<>()).add(listener);
        return () -> unsubscribe(jobId, listener);
    }

    /** Calls {@code listener} with every new view of every job until the subscription is closed. */
    public Subscription subscribeAll(Consumer<Timeline> listener) {
        everything.add(listener);
        return () -> everything.remove(listener);
    }

    public void unsubscribe(JobId jobId, Consumer<Timeline> listener) {
        listeners.computeIfPresent(jobId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Number of jobs somebody listens to. */
    public int subscribedJobs() {
        return listeners.size();
    }

    void publish(Timeline timeline) {
        Set<Consumer<Timeline>> subscribers = listeners.get(timeline.view().jobId());
        if (subscribers != null) {
            subscribers.forEach(listener -> tell(listener, timeline));
        }
        everything.forEach(listener -> tell(listener, timeline));
    }

    private static void tell(Consumer<Timeline> listener, Timeline timeline) {
        try {
            listener.accept(timeline);
        } catch (RuntimeException e) {
            log.warn("job update listener of {} failed", timeline.view().jobId(), e);
        }
    }

    /** An open subscription; closing it unsubscribes. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
