package dev.genpipe.api.jobs;

import dev.genpipe.api.clients.Client;
import dev.genpipe.api.clients.ClientSettings;
import dev.genpipe.api.clients.TooManyRequests;
import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.api.status.JobUpdates;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.job.JobId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Opens SSE streams of job events — one job's, or all of a client's jobs — and keeps count of them
 * ({@code genpipe.sse.connections}); each counts against the client's stream cap. On shutdown it ends every open
 * stream first, so the web server's graceful shutdown does not wait for them; clients resume elsewhere with
 * {@code Last-Event-ID}.
 */
@Component
class JobEventStreams implements SmartLifecycle {

    private final JobUpdates updates;
    private final JobViews views;
    private final Duration timeout;
    private final Duration heartbeat;
    private final Set<ViewStream> open = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final int maxStreams;
    private volatile boolean running;

    JobEventStreams(JobUpdates updates, JobViews views, ApiSettings settings, ClientSettings clients,
                    MeterRegistry registry) {
        this.maxStreams = clients.maxStreams();
        this.updates = updates;
        this.views = views;
        this.timeout = settings.sseTimeout();
        this.heartbeat = settings.sseHeartbeat();
        Gauge.builder("genpipe.sse.connections", open, Set::size)
                .description("Open SSE streams of job events (one job's, or all of a client's jobs)")
                .register(registry);
    }

    /**
     * Streams the events of {@code jobId} after {@code lastEventId} (0: all of them). The job must exist.
     *
     * @throws TooManyRequests when the client has {@code maxStreams} streams open already
     */
    SseEmitter open(JobId jobId, long lastEventId, Client client) {
        AtomicInteger ofClient = claimStream(client);
        try {
            SseEmitter emitter = new SseEmitter(timeout.toMillis());
            EventStream stream = new EventStream(jobId, emitter, lastEventId, heartbeat);
            // subscribe first, then read the snapshot: an update between the two is seen by one or both, never none
            JobUpdates.Subscription subscription = updates.subscribe(jobId, stream::offer);
            try {
                views.timeline(jobId).ifPresent(stream::offer);
            } catch (RuntimeException e) {
                subscription.close();
                throw e;
            }
            serve(stream, subscription, ofClient, "sse-" + jobId);
            return emitter;
        } catch (RuntimeException e) {
            ofClient.decrementAndGet();
            throw e;
        }
    }

    /**
     * Streams the events of every job of {@code client}, live, on one connection.
     *
     * @throws TooManyRequests when the client has {@code maxStreams} streams open already
     */
    SseEmitter openForClient(Client client) {
        AtomicInteger ofClient = claimStream(client);
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        ClientEventStream stream = new ClientEventStream(client.id(), emitter, heartbeat);
        serve(stream, updates.subscribeAll(stream::offer), ofClient, "sse-client-" + client.id());
        return emitter;
    }

    private AtomicInteger claimStream(Client client) {
        AtomicInteger ofClient = perClient.computeIfAbsent(client.id(), id -> new AtomicInteger());
        if (ofClient.incrementAndGet() > maxStreams) {
            ofClient.decrementAndGet();
            throw new TooManyRequests("at most " + maxStreams + " event streams may be open per client; close one",
                    Duration.ofSeconds(5));
        }
        return ofClient;
    }

    /** Runs the stream on its own virtual thread until it ends; then unsubscribes and frees the client's slot. */
    private void serve(ViewStream stream, JobUpdates.Subscription subscription, AtomicInteger ofClient, String name) {
        SseEmitter emitter = stream.emitter;
        emitter.onCompletion(stream::close);
        emitter.onError(error -> stream.close());
        emitter.onTimeout(() -> {
            stream.close();
            emitter.complete();
        });
        open.add(stream);
        Thread.ofVirtual().name(name).start(() -> {
            try {
                stream.run();
            } finally {
                subscription.close();
                open.remove(stream);
                ofClient.decrementAndGet();
            }
        });
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        open.forEach(ViewStream::end);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
