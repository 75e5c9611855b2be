package dev.genpipe.api.status;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.common.kafka.Topics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Feeds this instance's {@link JobFold} from Kafka with one plain consumer on one thread: no consumer group (every
 * instance reads every partition), no commits (a restart reads again from the horizon: the result TTL plus the longest
 * a job may run, and never later than the start of the UTC day, for the daily token budgets), no state topic, no
 * changelog. It reads {@code genpipe.jobs} and {@code genpipe.jobs.bulk} (the requests of both lanes),
 * {@code genpipe.job-events} (everything else) and {@code genpipe.worker-status} (heartbeats, from the beginning:
 * compacted). Until it has read up to the end offsets
 * it found at start the state is not ready: reads answer 503 "still loading" and readiness is DOWN.
 */
@Component
class JobStateReader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobStateReader.class);
    private static final List<String> TOPICS = List.of(Topics.JOBS, Topics.JOBS_BULK, Topics.JOB_EVENTS,
            Topics.WORKER_STATUS);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    private final ApiSettings settings;
    private final Map<String, Object> config;
    private final JobFold fold;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean loaded;
    private volatile String state = "NOT_RUNNING";

    JobStateReader(ApiSettings settings, ConsumerFactory<?, ?> consumers, JobUpdates updates,
                   MeterRegistry registry) {
        this.settings = settings;
        this.fold = new JobFold(settings.resultTtl(), settings.maxJobs(), updates);
        Map<String, Object> config = new HashMap<>(consumers.getConfigurationProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "genpipe-api-" + settings.instanceId() + "-state");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        this.config = config;
        Gauge.builder("genpipe.jobs.state.size", fold, JobFold::size)
                .description("jobs this API instance keeps (unfinished, and finished within the result TTL)")
                .register(registry);
        FunctionCounter.builder("genpipe.jobs.state.evicted", fold, JobFold::evicted)
                .description("finished jobs forgotten before their TTL because genpipe.api.max-jobs were kept")
                .register(registry);
    }

    JobFold fold() {
        return fold;
    }

    /** True when every job that Kafka had when this instance started has been read. */
    boolean ready() {
        return loaded && running;
    }

    String state() {
        return state;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("genpipe-job-state").start(this::run);
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread reader = thread;
        if (reader != null) {
            try {
                reader.join(settings.kafkaTimeout().toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
        state = "NOT_RUNNING";
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server starts, after it stops. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(config, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = kafka;
                state = "LOADING";
                Map<TopicPartition, Long> ends = assign(kafka);
                if (ends == null) {
                    sleep();
                    continue;
                }
                read(kafka, ends);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // the fold keeps what it has: a new consumer reads from the horizon again, and the fold skips every
                // record below the next offset it expects on that partition
                log.error("job state reader failed; reading again in {}", BACKOFF, e);
                state = "RESTARTING";
                sleep();
            } finally {
                consumer = null;
            }
        }
    }

    /** Assigns every partition and seeks to the horizon. @return the end offsets now, or null when Kafka is away */
    private Map<TopicPartition, Long> assign(KafkaConsumer<String, byte[]> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos;
            try {
                infos = kafka.partitionsFor(topic, settings.kafkaTimeout());
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.warn("job state reader: Kafka did not answer for {} within {}; trying again", topic,
                        settings.kafkaTimeout());
                return null;
            }
            if (infos == null || infos.isEmpty()) {
                log.warn("job state reader: topic {} has no partitions yet; trying again", topic);
                return null;
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        kafka.assign(partitions);
        long horizon = horizon(Instant.now()).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        for (TopicPartition partition : partitions) {
            if (!partition.topic().equals(Topics.WORKER_STATUS)) {
                times.put(partition, horizon);
            }
        }
        Map<TopicPartition, OffsetAndTimestamp> starts = kafka.offsetsForTimes(times, settings.kafkaTimeout());
        Map<TopicPartition, Long> ends = kafka.endOffsets(partitions, settings.kafkaTimeout());
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp start = starts.get(partition);
            if (partition.topic().equals(Topics.WORKER_STATUS)) {
                kafka.seekToBeginning(List.of(partition));
            } else {
                kafka.seek(partition, start == null ? ends.get(partition) : start.offset());
            }
        }
        log.info("job state reader: reading {} partitions from {}", partitions.size(), Instant.ofEpochMilli(horizon));
        return ends;
    }

    /** How far back a (re)started instance reads: far enough for every job still readable, and for today's budgets. */
    Instant horizon(Instant now) {
        Instant back = now.minus(settings.resultTtl()).minus(settings.maxJobAge());
        Instant today = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        return back.isBefore(today) ? back : today;
    }

    private void read(KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, Long> ends) {
        Duration sweep = sweepInterval(settings.resultTtl());
        Instant nextSweep = Instant.now().plus(sweep);
        Map<TopicPartition, Long> pending = new HashMap<>(ends);
        pending.values().removeIf(end -> end == 0);
        while (running) {
            ConsumerRecords<String, byte[]> records = kafka.poll(POLL);
            for (ConsumerRecord<String, byte[]> record : records) {
                fold.accept(record.topic(), record.partition(), record.offset(), record.value());
            }
            if (!loaded) {
                pending.entrySet().removeIf(end -> kafka.position(end.getKey()) >= end.getValue());
                if (pending.isEmpty()) {
                    loaded = true;
                    state = "RUNNING";
                    log.info("job state loaded: {} jobs", fold.size());
                }
            }
            Instant now = Instant.now();
            if (!now.isBefore(nextSweep)) {
                fold.expire(now);
                nextSweep = now.plus(sweep);
            }
        }
    }

    static Duration sweepInterval(Duration resultTtl) {
        Duration tenth = resultTtl.dividedBy(10);
        Duration min = Duration.ofSeconds(1);
        Duration max = Duration.ofMinutes(1);
        return tenth.compareTo(min) < 0 ? min : tenth.compareTo(max) > 0 ? max : tenth;
    }

    private void sleep() {
        try {
            Thread.sleep(BACKOFF);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
