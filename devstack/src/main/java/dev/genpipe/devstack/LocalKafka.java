package dev.genpipe.devstack;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real Kafka broker (KRaft, one combined broker/controller node) running inside this JVM, from
 * spring-kafka-test's {@link EmbeddedKafkaKraftBroker}.
 *
 * <p>Broker settings: {@code auto.create.topics.enable=false} (topics are created by their owners),
 * {@code group.initial.rebalance.delay.ms=0}, and replication factor / min ISR 1 for the offsets and
 * transaction state topics, so transactions work on one broker.
 *
 * <p>With {@code -Dgenpipe.infra=containers} ({@link Infrastructure}) it is the apache/kafka container instead.
 *
 * <p>A fixed port: {@code EmbeddedKafkaKraftBroker.kafkaPorts(...)} is ignored in KRaft mode (Kafka's
 * test kit pre-binds a random port for its listener). A fixed port gets an extra PLAINTEXT listener,
 * {@code LOCAL://127.0.0.1:port}; clients that bootstrap through it are given that listener's address.
 */
public final class LocalKafka implements AutoCloseable {

    private static final String LOCAL_LISTENER = "LOCAL";
    /** EmbeddedKafkaKraftBroker always publishes its address in a system property; keep it out of Spring's way. */
    private static final String BROKERS_PROPERTY = "genpipe.devstack.kafka.brokers";

    private final Runnable stop;
    private final String bootstrapServers;

    LocalKafka(Runnable stop, String bootstrapServers) {
        this.stop = stop;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker on a free port. */
    public static LocalKafka start() {
        return start(0);
    }

    /** Starts a broker whose clients bootstrap on 127.0.0.1:port (0 for a free port). */
    public static LocalKafka start(int port) {
        return start(port, Infrastructure.selected());
    }

    static LocalKafka start(int port, Infrastructure infrastructure) {
        if (infrastructure == Infrastructure.CONTAINERS) {
            return ContainerKafka.start(port);
        }
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerListProperty(BROKERS_PROPERTY);
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "false",
                "group.initial.rebalance.delay.ms", "0",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1"));
        if (port > 0) {
            broker.brokerProperties(Map.of(
                    "listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,"
                            + LOCAL_LISTENER + "://127.0.0.1:" + port,
                    "listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,"
                            + LOCAL_LISTENER + ":PLAINTEXT"));
        }
        try {
            broker.afterPropertiesSet();
        } catch (RuntimeException e) {
            quietlyDestroy(broker);
            throw new IllegalStateException("Kafka broker did not start" + (port > 0 ? " on 127.0.0.1:" + port
                    + " (is the port taken?)" : ""), e);
        }
        return new LocalKafka(broker::destroy, port > 0 ? "127.0.0.1:" + port : broker.getBrokersAsString());
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        stop.run();
    }

    private static void quietlyDestroy(EmbeddedKafkaKraftBroker broker) {
        try {
            broker.destroy();
        } catch (RuntimeException ignored) {
            // the start failure is the one worth reporting
        }
    }
}
