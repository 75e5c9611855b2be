package dev.genpipe.api.status;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.view.JobView;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

/**
 * Reads job views from this instance's global store. A job that is not there yet may have been accepted a moment ago
 * (its first event is on its way through the topology): the read waits for it, up to
 * {@code genpipe.api.read-your-writes-wait}, so a client polling right after its 202 never sees a 404.
 */
@Component
public class JobViews {

    private final JobStateStreams streams;
    private final JobUpdates updates;
    private final Duration readYourWritesWait;

    JobViews(JobStateStreams streams, JobUpdates updates, ApiSettings settings) {
        this.streams = streams;
        this.updates = updates;
        this.readYourWritesWait = settings.readYourWritesWait();
    }

    private static JobView decode(byte[] bytes) {
        return bytes == null ? null : JobStateUpdater.VIEWS.deserialize(Topics.JOB_STATE, bytes);
    }

    /** The job's current view, without waiting. @throws JobStateLoading when the store is still loading */
    public Optional<JobView> peek(JobId jobId) {
        return Optional.ofNullable(decode(streams.views().get(jobId.toString())));
    }

    /**
     * The job's current view, waiting a little for one that is not known yet.
     *
     * @throws JobStateLoading when the store is still loading
     */
    public Optional<JobView> find(JobId jobId) {
        ReadOnlyKeyValueStore<String, byte[]> store = streams.views();
        String key = jobId.toString();
        JobView view = decode(store.get(key));
        if (view != null) {
            return Optional.of(view);
        }
        CompletableFuture<JobView> arrived = new CompletableFuture<>();
        try (JobUpdates.Subscription ignored = updates.subscribe(jobId, arrived::complete)) {
            view = decode(store.get(key)); // it may have arrived between the first read and the subscription
            if (view != null) {
                return Optional.of(view);
            }
            return Optional.of(arrived.get(readYourWritesWait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }
}
