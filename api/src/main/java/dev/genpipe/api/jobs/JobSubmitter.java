package dev.genpipe.api.jobs;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.api.clients.Client;
import dev.genpipe.common.event.JobCancelled;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.Topics;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Accepts jobs into Kafka. Each job is two records, its {@link JobRequested} on {@code genpipe.jobs} and its
 * {@link JobQueued} on {@code genpipe.job-events}, written in one Kafka transaction: {@link #submit} returns only
 * after the commit, so both records are durable; a failure aborts the transaction and nothing was accepted.
 *
 * <p>Group commit: concurrent submits are gathered into one transaction (up to {@code submitBatchSize} jobs) by a
 * few committer threads ({@code submitConcurrency}), so a burst costs a handful of transactions and transactional
 * producers, not one per request. A failed transaction fails every job in it (none of them was accepted).
 */
@Component
class JobSubmitter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);

    private record Pending(JobRequested request, CompletableFuture<Void> committed) {
    }

    private final KafkaTemplate<String, Object> kafka;
    private final MeterRegistry registry;
    private final ApiSettings settings;
    private final LinkedBlockingQueue<Pending> queue;
    private final DistributionSummary batchSizes;
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean running;

    JobSubmitter(KafkaTemplate<String, Object> kafka, MeterRegistry registry, ApiSettings settings) {
        this.kafka = kafka;
        this.registry = registry;
        this.settings = settings;
        this.queue = new LinkedBlockingQueue<>(settings.submitQueueCapacity());
        this.batchSizes = DistributionSummary.builder("genpipe.jobs.submit.batch")
                .description("jobs written per Kafka transaction").register(registry);
    }

    /**
     * Accepts a job of {@code client} under {@code id}.
     *
     * @throws KafkaUnavailable when Kafka did not take the job (or the API is too busy to hand it over in time)
     */
    JobRequested submit(JobId id, JobInput input, Client client) {
        JobRequested request = new JobRequested(id, input, Instant.now(), client.id());
        Pending pending = new Pending(request, new CompletableFuture<>());
        Duration wait = settings.kafkaTimeout().multipliedBy(2);
        try {
            if (!running || !queue.offer(pending, settings.kafkaTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new KafkaUnavailable(new TimeoutException("submit queue full or API stopping"));
            }
            pending.committed().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            log.warn("job {} not accepted: Kafka write failed: {}", request.jobId(), e.getCause().toString());
            throw new KafkaUnavailable(e.getCause());
        } catch (TimeoutException e) {
            log.warn("job {} not confirmed by Kafka within {}", request.jobId(), wait);
            throw new KafkaUnavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable(e);
        }
        registry.counter("genpipe.jobs.submitted", "type", input.type().name()).increment();
        log.debug("job {} accepted ({})", request.jobId(), input.type());
        return request;
    }

    /**
     * Publishes the cancellation of jobs (a presentation and its unfinished sections) in one transaction: their
     * {@code cancelled} events, and their ids on {@code genpipe.job-cancellations}, which every worker reads so that
     * nothing not yet started starts. Waits for Kafka. @throws KafkaUnavailable when Kafka did not take it
     */
    void cancel(List<JobId> ids, String reason) {
        Instant now = Instant.now();
        try {
            kafka.executeInTransaction(operations -> {
                for (JobId id : ids) {
                    JobCancelled cancelled = new JobCancelled(id, now, reason);
                    operations.send(Topics.JOB_CANCELLATIONS, id.toString(), cancelled);
                    operations.send(Topics.JOB_EVENTS, id.toString(), cancelled);
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("cancellation of jobs {} not written: {}", ids, e.toString());
            throw new KafkaUnavailable(e);
        }
    }

    private void commitLoop() {
        List<Pending> batch = new ArrayList<>(settings.submitBatchSize());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.submitBatchSize() - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        try {
            kafka.executeInTransaction(operations -> {
                for (Pending p : batch) {
                    JobRequested request = p.request();
                    operations.send(Topics.JOBS, request.fingerprint(), request);
                    operations.send(Topics.JOB_EVENTS, request.jobId().toString(), JobQueued.of(request));
                }
                return null;
            });
            batchSizes.record(batch.size());
            batch.forEach(p -> p.committed().complete(null));
        } catch (RuntimeException e) {
            batch.forEach(p -> p.committed().completeExceptionally(e));
        }
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < settings.submitConcurrency(); i++) {
            committers.add(Thread.ofPlatform().name("job-submit-" + i).daemon().start(this::commitLoop));
        }
    }

    @Override
    public void stop() {
        running = false; // committers drain what is queued, then end
        for (Thread committer : committers) {
            try {
                committer.join(settings.kafkaTimeout().multipliedBy(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        committers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100; // stops after the web server stopped taking requests
    }
}
