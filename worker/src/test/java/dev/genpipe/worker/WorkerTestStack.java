package dev.genpipe.worker;

import dev.genpipe.common.kafka.WireSerializer;
import dev.genpipe.devstack.GeminiStandIn;
import dev.genpipe.devstack.LocalKafka;
import dev.genpipe.devstack.LocalRedis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the worker's integration tests run on: real Kafka and Redis (devstack's, so {@code -Pcontainers} applies), the
 * Gemini stand-in, one worker started as deployments start it (settings as command-line arguments; a test's own
 * replace these defaults by name), and a producer that writes job requests. Closing it stops everything it started,
 * in reverse order, even after a failed start.
 */
final class WorkerTestStack implements AutoCloseable {

    final LocalKafka kafka;
    final LocalRedis redis;
    final GeminiStandIn gemini;
    final ConfigurableApplicationContext worker;
    final KafkaProducer<String, Object> producer;

    private WorkerTestStack(LocalKafka kafka, LocalRedis redis, GeminiStandIn gemini,
                            ConfigurableApplicationContext worker, KafkaProducer<String, Object> producer) {
        this.kafka = kafka;
        this.redis = redis;
        this.gemini = gemini;
        this.worker = worker;
        this.producer = producer;
    }

    static WorkerTestStack start(String workerId, String... settings) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            LocalKafka kafka = LocalKafka.start();
            started.add(kafka);
            LocalRedis redis = LocalRedis.start();
            started.add(redis);
            GeminiStandIn gemini = GeminiStandIn.start();
            started.add(gemini);
            ConfigurableApplicationContext worker = runWorker(kafka, redis, gemini, workerId, settings);
            started.add(worker);
            KafkaProducer<String, Object> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new WireSerializer());
            return new WorkerTestStack(kafka, redis, gemini, worker, producer);
        } catch (RuntimeException | Error e) {
            closeAll(started);
            throw e;
        }
    }

    /** Another worker on the same Kafka, Redis and stand-in; the caller closes it. */
    ConfigurableApplicationContext startWorker(String workerId, String... settings) {
        return runWorker(kafka, redis, gemini, workerId, settings);
    }

    private static ConfigurableApplicationContext runWorker(LocalKafka kafka, LocalRedis redis, GeminiStandIn gemini,
                                                            String workerId, String... settings) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String setting : List.of(
                "server.port=0",
                "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "genpipe.topics.partitions=2",
                "genpipe.worker.id=" + workerId,
                "genpipe.worker.shutdown-grace=2s",
                "genpipe.worker.retry-base-delay=50ms",
                "genpipe.worker.retry-max-delay=200ms",
                "genpipe.gemini.api-key=worker-test-gemini-Ka71Pq",
                "genpipe.gemini.base-url=" + gemini.baseUrl(),
                "genpipe.gemini.timeout=5",
                "genpipe.cache.redis-host=" + redis.host(),
                "genpipe.cache.redis-port=" + redis.port())) {
            args.put(setting.substring(0, setting.indexOf('=')), setting);
        }
        for (String setting : settings) {
            args.put(setting.substring(0, setting.indexOf('=')), setting);
        }
        return WorkerApplication.builder().run(args.values().stream().map(a -> "--" + a).toArray(String[]::new));
    }

    int port() {
        return Integer.parseInt(worker.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @Override
    public void close() {
        closeAll(List.of(kafka, redis, gemini, worker, producer));
    }

    /** Closes what is not null, last first, whatever fails on the way. */
    static void closeAll(List<? extends AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            if (started.get(i) == null) {
                continue;
            }
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("could not stop " + started.get(i) + ": " + e);
            }
        }
    }
}
