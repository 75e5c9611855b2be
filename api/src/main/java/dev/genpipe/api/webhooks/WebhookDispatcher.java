package dev.genpipe.api.webhooks;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobWebhook;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.view.JobView;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends the completion webhooks, each from exactly one API instance: the instances share the consumer group
 * {@value #GROUP} on {@code genpipe.job-events}, so each terminal event is read by one of them. For such an event the
 * dispatcher waits until this instance's own fold has taken that record, then asks it which jobs it ended (the job,
 * and for a section its presentation, which the fold may have completed with it) and delivers the webhook of each one
 * that has a {@code callbackUrl} and no final delivery state yet, on its own virtual thread. Offsets are committed
 * only below the lowest record whose deliveries have not ended (delivered or given up): at least once. Job processing
 * never waits for any of it; when {@code maxPending} deliveries are under way the dispatcher pauses its partitions
 * (and keeps polling, so it stays in the group). Runs only when webhooks are on.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    static final String GROUP = "genpipe-webhooks";
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long FOLD_WAIT_MILLIS = 20;

    private final WebhookSettings settings;
    private final JobViews views;
    private final WebhookDelivery delivery;
    private final Map<String, Object> config;
    private final PendingOffsets offsets = new PendingOffsets();
    private final Set<JobId> delivering = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile ExecutorService deliveries;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    WebhookDispatcher(WebhookSettings settings, ApiSettings api, ConsumerFactory<?, ?> consumers, JobViews views,
                      WebhookDelivery delivery) {
        this.settings = settings;
        this.views = views;
        this.delivery = delivery;
        Map<String, Object> config = new HashMap<>(consumers.getConfigurationProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "genpipe-api-" + api.instanceId() + "-webhooks");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        this.config = config;
    }

    @Override
    public synchronized void start() {
        if (running || !settings.enabled()) {
            return;
        }
        running = true;
        deliveries = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("genpipe-webhook-", 0).factory());
        thread = Thread.ofPlatform().daemon().name("genpipe-webhooks").start(this::run);
    }

    /** Stops reading; deliveries under way are interrupted and stay uncommitted (another instance resumes them). */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        deliveries.shutdownNow();
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the job state reader starts, before it stops. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 2048;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(config, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = kafka;
                kafka.subscribe(List.of(Topics.JOB_EVENTS), new Rebalances(kafka));
                try {
                    poll(kafka);
                } finally {
                    commitSync(kafka, null);
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("webhook dispatcher failed; starting again in 1s", e);
                sleep();
            } finally {
                consumer = null;
            }
        }
    }

    private void poll(KafkaConsumer<String, byte[]> kafka) {
        while (running) {
            for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
                take(record);
            }
            Map<TopicPartition, OffsetAndMetadata> done = offsets.toCommit(null);
            if (!done.isEmpty()) {
                kafka.commitAsync(done, (committed, failure) -> {
                    if (failure != null) {
                        offsets.commitFailed(committed == null ? done : committed);
                    }
                });
            }
            if (pending.get() >= settings.maxPending()) {
                kafka.pause(kafka.assignment());
            } else if (!kafka.paused().isEmpty()) {
                kafka.resume(kafka.paused());
            }
        }
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        JobEvent event = terminal(record);
        offsets.read(partition, record.offset(), event != null);
        if (event == null) {
            return;
        }
        pending.incrementAndGet();
        deliveries.execute(() -> {
            try {
                deliverFor(event, record);
                offsets.ended(partition, record.offset());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutting down: left uncommitted, read again
            } catch (RuntimeException e) {
                log.error("webhooks after {} at {}-{}@{} failed; left for a later read", event.jobId(),
                        record.topic(), record.partition(), record.offset(), e);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    /** The record's event when it may end a job, else null (progress, webhook reports, unreadable records). */
    private static JobEvent terminal(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            JobEvent event = EVENTS.deserialize(record.topic(), record.value());
            return event.status().isTerminal() && !(event instanceof JobWebhook) ? event : null;
        } catch (SerializationException e) {
            return null;
        }
    }

    /** Waits for this instance's fold to take the record, then delivers the webhooks of the jobs it ended. */
    private void deliverFor(JobEvent event, ConsumerRecord<String, byte[]> record) throws InterruptedException {
        while (!views.folded(record.topic(), record.partition(), record.offset())) {
            if (!running) {
                throw new InterruptedException("stopping");
            }
            Thread.sleep(FOLD_WAIT_MILLIS);
        }
        Set<JobId> ended = new LinkedHashSet<>(List.of(event.jobId()));
        views.peek(event.jobId()).map(JobView::request).filter(r -> r.parentId() != null)
                .ifPresent(r -> ended.add(r.parentId()));
        for (JobId jobId : ended) {
            JobView job = views.find(jobId).orElse(null);
            if (job == null || !WebhookDelivery.due(job)) {
                log.debug("job {} at {}-{}@{}: no webhook due", jobId, record.topic(), record.partition(),
                        record.offset());
            } else if (delivering.add(jobId)) {
                log.debug("job {} at {}-{}@{}: delivering its webhook", jobId, record.topic(), record.partition(),
                        record.offset());
                try {
                    delivery.deliver(job);
                } finally {
                    delivering.remove(jobId);
                }
            }
        }
    }

    private void commitSync(KafkaConsumer<String, byte[]> kafka, Collection<TopicPartition> of) {
        Map<TopicPartition, OffsetAndMetadata> done = offsets.toCommit(of);
        if (!done.isEmpty()) {
            try {
                kafka.commitSync(done);
            } catch (RuntimeException e) {
                log.warn("webhook dispatcher: commit failed ({}); those records will be read again", e.toString());
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Revoked partitions: commit what ended, forget the rest (their new owner reads it again). */
    private final class Rebalances implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> kafka;

        Rebalances(KafkaConsumer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            commitSync(kafka, revoked);
            offsets.forget(revoked);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            offsets.forget(lost);
        }
    }
}
