package dev.genpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real in-process KRaft broker: plain and transactional produce, consume, fixed and free ports. */
class LocalKafkaTest {

    private static LocalKafka kafka;
    private static int port;

    @BeforeAll
    static void start() {
        port = FreePorts.next();
        kafka = LocalKafka.start(port, Infrastructure.EMBEDDED); // this class tests the embedded broker
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void bootstrapsOnTheFixedPortAndDoesNotCreateTopicsByItself() throws Exception {
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            String brokerId = admin.describeCluster().nodes().get().iterator().next().idString();
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, brokerId)))
                    .all().get().values().iterator().next();
            assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
            assertThat(config.get("transaction.state.log.replication.factor").value()).isEqualTo("1");
        }
    }

    @Test
    void producesAndConsumes() throws Exception {
        String topic = newTopic(kafka);
        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            producer.send(new ProducerRecord<>(topic, "job-1", "hello")).get();
        }

        assertThat(consumeAll(kafka, topic, "read_uncommitted", 1)).containsExactly("hello");
    }

    @Test
    void transactionalCommitsAreVisibleAndAbortsAreNot() throws Exception {
        String topic = newTopic(kafka);
        try (KafkaProducer<String, String> producer = producer(kafka,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "job-1", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "job-1", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "job-2", "committed-2"));
            producer.commitTransaction();
        }

        assertThat(consumeAll(kafka, topic, "read_committed", 2)).containsExactly("committed-1", "committed-2");
    }

    @Test
    void startsOnAFreePortToo() throws Exception {
        try (LocalKafka other = LocalKafka.start(0, Infrastructure.EMBEDDED)) {
            assertThat(other.bootstrapServers()).isNotBlank().isNotEqualTo(kafka.bootstrapServers());
            String topic = newTopic(other);
            try (KafkaProducer<String, String> producer = producer(other, Map.of())) {
                producer.send(new ProducerRecord<>(topic, "k", "v")).get();
            }
            assertThat(consumeAll(other, topic, "read_uncommitted", 1)).containsExactly("v");
        }
    }

    @Test
    void aTakenPortFailsClearly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> LocalKafka.start(taken.getLocalPort(), Infrastructure.EMBEDDED))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }

    private static String newTopic(LocalKafka broker) throws Exception {
        String topic = "topic-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static KafkaProducer<String, String> producer(LocalKafka broker, Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        config.putAll(extra);
        return new KafkaProducer<>(config);
    }

    private static List<String> consumeAll(LocalKafka broker, String topic, String isolation, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            // one more poll: nothing else (such as the aborted record) may show up
            consumer.poll(Duration.ofMillis(300)).forEach(record -> values.add(record.value()));
        }
        return values;
    }
}
