package dev.genpipe.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker (KRaft, one combined broker/controller node) whose data lives in a directory that outlives it:
 * killed (even with SIGKILL) and started again on the same directory, it comes back with its topics, records and
 * committed offsets, as a broker restart in production does. What {@link StandaloneKafka}{@code --data-dir} runs, for
 * the fault-injection test; {@link LocalKafka}'s embedded broker starts empty every time.
 *
 * <p>The first start formats the directory (a new cluster id) and picks a free controller port, kept in the
 * directory, so that every later start is the same node with the same quorum. Broker settings as {@link LocalKafka}'s.
 */
final class DurableKafka implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private DurableKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts the broker on {@code port} (0: a free one, kept in the directory too) with its data in {@code dir}. */
    static DurableKafka start(int port, Path dir) {
        try {
            Files.createDirectories(dir);
            int brokerPort = remembered(dir.resolve("broker.port"), port);
            int controllerPort = remembered(dir.resolve("controller.port"), 0);
            Properties props = properties(brokerPort, controllerPort, dir.resolve("logs"));
            if (!Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
                format(props, dir);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            DurableKafka kafka = new DurableKafka(server, HOST + ":" + brokerPort);
            kafka.awaitReady();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the broker's directory " + dir, e);
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker; its data stays in the directory. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties properties(int brokerPort, int controllerPort, Path logs) {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@" + HOST + ":" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":"
                        + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logs.toString()),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1")));
        return props;
    }

    private static void format(Properties props, Path dir) throws IOException {
        Path config = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            props.store(out, "GenPipe durable broker");
        }
        int code = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()}, new PrintStream(System.out, true));
        if (code != 0) {
            throw new IllegalStateException("formatting " + dir + " failed (exit code " + code + ")");
        }
    }

    /** The port kept in {@code file}; the first time {@code port}, or a free one when that is 0. */
    private static int remembered(Path file, int port) throws IOException {
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file).strip());
        }
        int chosen = port > 0 ? port : FreePorts.next();
        Files.writeString(file, Integer.toString(chosen));
        return chosen;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the broker on " + bootstrapServers + " did not get ready", e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
