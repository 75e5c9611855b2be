package dev.genpipe.api.status;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.view.JobView;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * In-process hub of job state changes: the global state store calls {@link #publish} with every new view; SSE streams
 * and status reads waiting for a job subscribe to one job. Listeners run on the Kafka Streams global thread: they
 * must return at once (hand the view to another thread).
 */
@Component
public class JobUpdates {

    private static final Logger log = LoggerFactory.getLogger(JobUpdates.class);

    private final Map<JobId, Set<Consumer<JobView>>> listeners = new ConcurrentHashMap<>();
    private final Set<Consumer<JobView>> everything = new CopyOnWriteArraySet<>();

    /** Calls {@code listener} with every new view of {@code jobId} until the subscription is closed. */
    public Subscription subscribe(JobId jobId, Consumer<JobView> listener) {
        listeners.computeIfAbsent(jobId, id -> new CopyOnWriteArraySet<>()).add(listener);
        return () -> unsubscribe(jobId, listener);
    }

    /** Calls {@code listener} with every new view of every job until the subscription is closed. */
    public Subscription subscribeAll(Consumer<JobView> listener) {
        everything.add(listener);
        return () -> everything.remove(listener);
    }

    public void unsubscribe(JobId jobId, Consumer<JobView> listener) {
        listeners.computeIfPresent(jobId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether anybody listens to the job with this id (its own subscribers, or those of every job). */
    boolean listening(String jobId) {
        if (!everything.isEmpty()) {
            return true;
        }
        return JobId.parse(jobId).map(listeners::containsKey).orElse(false);
    }

    /** Number of jobs somebody listens to. */
    public int subscribedJobs() {
        return listeners.size();
    }

    void publish(JobView view) {
        Set<Consumer<JobView>> subscribers = listeners.get(view.jobId());
        if (subscribers != null) {
            subscribers.forEach(listener -> tell(listener, view));
        }
        everything.forEach(listener -> tell(listener, view));
    }

    private static void tell(Consumer<JobView> listener, JobView view) {
        try {
            listener.accept(view);
        } catch (RuntimeException e) {
            log.warn("job update listener of {} failed", view.jobId(), e);
        }
    }

    /** An open subscription; closing it unsubscribes. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
