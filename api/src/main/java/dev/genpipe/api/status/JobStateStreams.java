package dev.genpipe.api.status;

import dev.genpipe.api.config.ApiSettings;
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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
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
 * Runs the {@link JobStateTopology}: one KafkaStreams per API instance, exactly-once (the fold's store, its changelog,
 * the state topic and the input offsets move together), no record cache (every change is emitted at once), state in
 * a fresh temporary directory (in-memory stores; everything is rebuilt from Kafka).
 *
 * <p>Starts before the web server and stops after it. The store is readable once Kafka Streams has been RUNNING,
 * which implies the global store was restored; a later rebalance (REBALANCING) does not make it unreadable.
 */
@Component
class JobStateStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobStateStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ApiSettings settings;
    private final Map<String, Object> config;
    private final JobUpdates updates;
    private final MeterRegistry registry;
    private volatile KafkaStreams streams;
    private volatile boolean loaded;
    private KafkaStreamsMetrics metrics;
    private Path stateDir;

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
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2); // consumers read_committed
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.streamsCommitInterval().toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.topicReplicas());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.putAll(kafka.getStreams().getProperties()); // spring.kafka.streams.properties.* win
        return config;
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        stateDir = createStateDir();
        Properties properties = new Properties();
        properties.putAll(config);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Topology topology = JobStateTopology.build(settings.resultTtl(), updates);
        KafkaStreams created = new KafkaStreams(topology, properties);
        created.setStateListener((next, previous) -> {
            if (next == KafkaStreams.State.RUNNING) {
                loaded = true;
            }
            log.info("job state streams: {} -> {}", previous, next);
        });
        created.setUncaughtExceptionHandler(e -> {
            log.error("job state stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics = new KafkaStreamsMetrics(created);
        metrics.bindTo(registry);
        streams = created;
        created.start();
        log.info("job state streams started (application id {}, state dir {})", settings.streamsApplicationId(),
                stateDir);
    }

    @Override
    public synchronized void stop() {
        KafkaStreams running = streams;
        if (running == null) {
            return;
        }
        streams = null;
        loaded = false;
        if (!running.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true))) {
            log.warn("job state streams did not stop within {}", CLOSE_TIMEOUT);
        }
        metrics.close();
        FileSystemUtils.deleteRecursively(stateDir.toFile());
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** Before the web server starts, after it stops. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }

    KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.NOT_RUNNING : current.state();
    }

    /** True when the store answers for every job: RUNNING, or REBALANCING after having been RUNNING. */
    boolean ready() {
        KafkaStreams.State state = state();
        return state == KafkaStreams.State.RUNNING || (state == KafkaStreams.State.REBALANCING && loaded);
    }

    /** The global store of job views. @throws JobStateLoading when it is not ready */
    ReadOnlyKeyValueStore<String, JobView> views() {
        KafkaStreams current = streams;
        if (current == null || !ready()) {
            throw new JobStateLoading();
        }
        try {
            return current.store(StoreQueryParameters.fromNameAndType(JobStateTopology.GLOBAL_STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new JobStateLoading();
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
