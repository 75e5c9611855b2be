package dev.genpipe.devstack;

import org.testcontainers.kafka.KafkaContainer;

/** {@link LocalKafka} on {@link Infrastructure#CONTAINERS}: the compose file's apache/kafka image, one KRaft node. */
final class ContainerKafka {

    private static final int CLIENT_PORT = 9092;

    private ContainerKafka() {
    }

    static LocalKafka start(int port) {
        Containers.requireDocker();
        // Testcontainers' KafkaContainer already sets the single-node replication factors (offsets, transactions)
        KafkaContainer kafka = new KafkaContainer(Containers.KAFKA)
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        if (port > 0) {
            Containers.bindHostPort(kafka, CLIENT_PORT, port);
        }
        try {
            kafka.start();
        } catch (RuntimeException e) {
            kafka.stop();
            throw new IllegalStateException("Kafka container " + Containers.KAFKA + " did not start", e);
        }
        return new LocalKafka(kafka::stop, kafka.getBootstrapServers());
    }
}
