package dev.genpipe.worker.processing;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * The jobs cancelled by their clients, as every worker knows them: {@code genpipe.job-cancellations} read from its
 * beginning (a day of retention), without a consumer group. A job is checked before its work starts and before each
 * Gemini call; a presentation's sections are cancelled with it.
 */
@Component
class Cancellations implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Cancellations.class);
    private static final Duration REMEMBERED = Duration.ofDays(2);

    private final ConsumerFactory<String, byte[]> consumers;
    private final WorkerSettings worker;
    private final Map<String, Instant> cancelled = new ConcurrentHashMap<>();
    private volatile Consumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    Cancellations(ConsumerFactory<String, byte[]> consumers, WorkerSettings worker) {
        this.consumers = consumers;
        this.worker = worker;
    }

    boolean cancelled(JobRequested request) {
        return cancelled.containsKey(request.jobId().toString())
                || (request.parentId() != null && cancelled.containsKey(request.parentId().toString()));
    }

    boolean cancelled(JobId id) {
        return cancelled.containsKey(id.toString());
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("job-cancellations").daemon().start(this::run);
    }

    private void run() {
        TopicPartition partition = new TopicPartition(Topics.JOB_CANCELLATIONS, 0);
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (Consumer<String, byte[]> c = consumers.createConsumer("genpipe-cancellations-" + worker.id(),
                worker.id() + "-cancellations", null, overrides)) {
            consumer = c;
            c.assign(List.of(partition));
            c.seekToBeginning(List.of(partition));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
                    if (record.key() != null) {
                        cancelled.put(record.key(), Instant.ofEpochMilli(record.timestamp()));
                    }
                }
                Instant horizon = Instant.now().minus(REMEMBERED);
                cancelled.values().removeIf(at -> at.isBefore(horizon));
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            if (running) {
                log.error("cancellation listener stopped: {}", e.toString());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (thread != null) {
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
