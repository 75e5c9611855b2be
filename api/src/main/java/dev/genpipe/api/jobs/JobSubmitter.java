package dev.genpipe.api.jobs;

import dev.genpipe.api.clients.Client;
import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.event.JobCancelled;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobType;
import dev.genpipe.common.job.Priority;
import dev.genpipe.common.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Accepts jobs into Kafka. A job is one record, its {@link JobRequested} on its lane's topic ({@code genpipe.jobs},
 * or {@code genpipe.jobs.bulk} for bulk jobs; key: the request fingerprint), written by an idempotent producer with
 * {@code acks=all}: {@link #submit} returns once Kafka acknowledged it, so the job is durable; its {@code queued}
 * state is that record (every API instance folds both request topics too). Concurrent submits share produce requests through the producer's own batching.
 */
@Component
class JobSubmitter {

    private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);

    private final KafkaTemplate<String, Object> kafka;
    private final JobViews views;
    private final long timeoutNanos;
    private final Map<JobType, Counter> submitted =
            new EnumMap<>(JobType.class);

    JobSubmitter(KafkaTemplate<String, Object> kafka, JobViews views, MeterRegistry registry, ApiSettings settings) {
        this.kafka = kafka;
        this.views = views;
        this.timeoutNanos = settings.submitTimeout().toNanos();
        for (JobType type : JobType.values()) {
            submitted.put(type, Counter.builder("genpipe.jobs.submitted").tag("type", type.name())
                    .description("jobs accepted (Kafka acknowledged their request)").register(registry));
        }
    }

    /**
     * Accepts a job of {@code client} under {@code id}, in lane {@code priority}, its end to be POSTed to
     * {@code callbackUrl} (null: not).
     * Accepts a job of {@code client} under {@code id} ({@code allowFallback}: null leaves it to the workers).
     *
     * @throws KafkaUnavailable when Kafka did not acknowledge the job within {@code genpipe.api.submit-timeout} (a
     *                          record already on its way may still be written: a retry with the same
     *                          {@code Idempotency-Key} then finds that job)
     */
    JobRequested submit(JobId id, JobInput input, String callbackUrl, Priority priority, Boolean allowFallback,
                        Client client) {
        JobRequested request = new JobRequested(id, input, Instant.now(), client.id(), callbackUrl, priority,
                allowFallback);
        await(() -> kafka.send(priority.topic(), request.fingerprint(), request), "job " + id);
        views.accepted(request);
        submitted.get(input.type()).increment();
        log.debug("job {} accepted ({}, {})", id, input.type(), priority.wireName());
        return request;
    }

    /**
     * Publishes the cancellation of a job (with a presentation, its unfinished sections go too): its id on
     * {@code genpipe.job-cancellations}, which every worker reads so that nothing not yet started starts, then its
     * {@code cancelled} event. Waits for Kafka. @throws KafkaUnavailable when Kafka did not take it
     */
    void cancel(JobId id, JobId parentId, String reason) {
        JobCancelled cancelled = new JobCancelled(id, Instant.now(), reason);
        await(() -> kafka.send(Topics.JOB_CANCELLATIONS, id.toString(), cancelled), "cancellation of " + id);
        await(() -> kafka.send(Topics.JOB_EVENTS, JobRequested.eventKey(id, parentId), cancelled),
                "cancellation of " + id);
    }

    /** Sends and waits for the acknowledgement, all within the submit timeout (blocking for metadata included). */
    private void await(Supplier<CompletableFuture<?>> send, String what) {
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            send.get().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            log.warn("{} not accepted: Kafka write failed: {}", what, e.getCause().toString());
            throw new KafkaUnavailable(e.getCause());
        } catch (TimeoutException e) {
            log.warn("{} not confirmed by Kafka within {} ms", what, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            throw new KafkaUnavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable(e);
        } catch (RuntimeException e) { // the producer refused at once (metadata not available within max.block.ms)
            log.warn("{} not accepted: {}", what, e.toString());
            throw new KafkaUnavailable(e);
        }
    }
}
