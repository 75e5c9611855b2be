package dev.genpipe.api.status;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.common.pool.WorkerStatus;
import dev.genpipe.common.view.JobView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Runs the {@link JobStateTopology} (job state, and the workers' heartbeats): at-least-once with a fold that is
 * idempotent under replay ({@link JobViewFolder}), so a state change reaches the global stores within milliseconds
 * instead of waiting for an exactly-once commit; consumers read committed records only (a job whose submit
 * transaction aborted never appears); no record cache (every change is emitted at once); in-memory stores in a fresh
 * temporary state directory (everything is rebuilt from Kafka).
 *
 * <p>{@code KafkaStreams#start()} blocks until the global store is restored (Kafka Streams 4.1), for minutes when
 * Kafka is unreachable. So a supervisor thread starts it, and restarts a fresh instance after a failed start or an
 * ERROR state; the web server comes up meanwhile and answers 503 "still loading" (readiness DOWN).
 *
 * <p>The store is readable once Kafka Streams has been RUNNING, which implies the global store was restored; a later
 * rebalance (REBALANCING) does not make it unreadable.
 */
@Component
class JobStateStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobStateStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(5);

    private final ApiSettings settings;
    private final Map<String, Object> config;
    private final JobUpdates updates;
    private final MeterRegistry registry;
    private volatile Instance current;
    private volatile Thread supervisor;
    private volatile boolean stopping;

    JobStateStreams(ApiSettings settings, KafkaProperties kafka, KafkaConnectionDetails connection,
            JobUpdates updates, MeterRegistry registry) {
        this.settings = settings;
        this.updates = updates;
        this.registry = registry;
        this.config = streamsConfig(settings, kafka, connection);
    }

    static Map<String, Object> streamsConfig(ApiSettings settings, KafkaProperties kafka,
            KafkaConnectionDetails connection) {
        Map<String, Object> config = kafka.buildStreamsProperties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", connection.getStreams().getBootstrapServers()));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.streamsApplicationId());
        config.put(StreamsConfig.CLIENT_ID_CONFIG, settings.streamsApplicationId() + "-" + settings.instanceId());
        // at-least-once with an idempotent fold (JobViewFolder): an update is visible as soon as it is written, not
        // after the next commit of an exactly-once transaction (which put ~commit.interval on every hop)
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // the API writes a job's first records in a transaction: an aborted submit must never become a job view
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT));
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1); // Streams' default is 100 ms
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.streamsCommitInterval().toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.topicReplicas());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.putAll(kafka.getStreams().getProperties()); // spring.kafka.streams.properties.* win
        return config;
    }

    @Override
    public synchronized void start() {
        if (supervisor != null) {
            return;
        }
        stopping = false;
        supervisor = Thread.ofPlatform().daemon().name("genpipe-job-state-supervisor").start(this::supervise);
    }

    @Override
    public synchronized void stop() {
        Thread running = supervisor;
        if (running == null) {
            return;
        }
        stopping = true;
        running.interrupt(); // unblocks KafkaStreams#start() (it waits for the global store interruptibly)
        try {
            running.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Instance last = current;
        current = null;
        if (last != null) {
            last.close();
        }
        supervisor = null;
    }

    @Override
    public boolean isRunning() {
        return supervisor != null;
    }

    /** Before the web server starts, after it stops. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }

    KafkaStreams.State state() {
        Instance instance = current;
        return instance == null ? KafkaStreams.State.NOT_RUNNING : instance.streams.state();
    }

    /** True when the store answers for every job: RUNNING, or REBALANCING after having been RUNNING. */
    boolean ready() {
        Instance instance = current;
        return instance != null && instance.ready();
    }

    /** The global store of job views, as written (JSON bytes). @throws JobStateLoading when it is not ready */
    ReadOnlyKeyValueStore<String, byte[]> views() {
        return store(JobStateTopology.GLOBAL_STORE, JobStateLoading.JOB_STATE);
    }

    /** The global store of the workers' latest heartbeats. @throws JobStateLoading when it is not ready */
    ReadOnlyKeyValueStore<String, Long> clientUsage() {
        return store(JobStateTopology.USAGE_STORE, "client usage is still loading");
    }

    ReadOnlyKeyValueStore<String, WorkerStatus> workerStatuses() {
        return store(JobStateTopology.WORKER_STORE, "worker status is still loading");
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, String loading) {
        Instance instance = current;
        if (instance == null || !instance.ready()) {
            throw new JobStateLoading(loading);
        }
        try {
            return instance.streams.store(StoreQueryParameters.fromNameAndType(name,
                    QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new JobStateLoading(loading);
        }
    }

    /** Starts Kafka Streams; starts a fresh instance whenever one fails, until stopped. */
    private void supervise() {
        while (!stopping) {
            Instance instance = null;
            try {
                instance = new Instance();
                current = instance;
                instance.streams.start(); // returns once the global store is restored
                log.info("job state streams started (application id {})", settings.streamsApplicationId());
                instance.failed.await();
                log.error("job state streams failed (state {}); restarting in {}", instance.streams.state(),
                        RESTART_BACKOFF);
            } catch (InterruptedException e) {
                return; // stop() closes the current instance
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                log.error("job state streams could not start; retrying in {}", RESTART_BACKOFF, e);
            }
            if (stopping) {
                return;
            }
            current = null;
            if (instance != null) {
                instance.close();
            }
            try {
                Thread.sleep(RESTART_BACKOFF);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One KafkaStreams with its own state directory and metrics. */
    private final class Instance {

        final KafkaStreams streams;
        final CountDownLatch failed = new CountDownLatch(1);
        final Path stateDir = createStateDir();
        final KafkaStreamsMetrics metrics;
        volatile boolean loaded;

        Instance() {
            Properties properties = new Properties();
            properties.putAll(config);
            properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            streams = new KafkaStreams(JobStateTopology.build(settings.resultTtl(), updates), properties);
            streams.setStateListener((next, previous) -> {
                if (next == KafkaStreams.State.RUNNING) {
                    loaded = true;
                }
                if (next == KafkaStreams.State.ERROR) {
                    failed.countDown();
                }
                log.info("job state streams: {} -> {}", previous, next);
            });
            streams.setUncaughtExceptionHandler(e -> {
                boolean global = Thread.currentThread().getName().endsWith("GlobalStreamThread");
                log.error("job state {} failed", global ? "global thread" : "stream thread", e);
                // the global thread cannot be replaced: the client goes to ERROR and the supervisor restarts it
                return global ? StreamThreadExceptionResponse.SHUTDOWN_CLIENT
                        : StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            metrics = new KafkaStreamsMetrics(streams);
            metrics.bindTo(registry);
        }

        boolean ready() {
            KafkaStreams.State state = streams.state();
            return state == KafkaStreams.State.RUNNING || (state == KafkaStreams.State.REBALANCING && loaded);
        }

        void close() {
            try {
                if (!streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true))) {
                    log.warn("job state streams did not stop within {}", CLOSE_TIMEOUT);
                }
            } finally {
                metrics.close();
                FileSystemUtils.deleteRecursively(stateDir.toFile());
            }
        }

        private static Path createStateDir() {
            try {
                return Files.createTempDirectory("genpipe-api-streams-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the Kafka Streams state directory", e);
            }
        }
    }
}
