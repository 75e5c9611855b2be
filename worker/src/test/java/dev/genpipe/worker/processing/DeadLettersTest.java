package dev.genpipe.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.kafka.WireSerializer;
import dev.genpipe.devstack.FreePorts;
import dev.genpipe.devstack.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * A dead letter written while Kafka is unreachable is retried until Kafka is back (the job it belongs to is then
 * finished and its partition commits past it), not given up after one timeout. Real broker, started late.
 */
class DeadLettersTest {

    @Test
    void aDeadLetterWaitsForKafkaInsteadOfFreezingItsPartition() throws Exception {
        int port = FreePorts.next();
        DefaultKafkaProducerFactory<String, Object> producers = new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2000), new StringSerializer(), new WireSerializer());
        DeadLetters deadLetters = new DeadLetters(new KafkaWrites(new KafkaTemplate<>(producers)),
                new SimpleMeterRegistry());
        StopSignal stop = new StopSignal();
        ConsumerRecord<String, byte[]> poison = new ConsumerRecord<>(Topics.JOBS, 2, 41, "k",
                "not a job".getBytes(StandardCharsets.UTF_8));
        LocalKafka kafka = null;
        try {
            CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() ->
                    deadLetters.send(poison, "k", "poison", "unreadable", stop));
            // no broker: the dead letter keeps being retried (earlier it failed for good after one timeout)
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !sent.isDone());

            kafka = LocalKafka.start(port);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.JOBS_DLT, 1, (short) 1))).all().get();
            }
            assertThat(sent.get(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                TopicPartition dlt = new TopicPartition(Topics.JOBS_DLT, 0);
                consumer.assign(Set.of(dlt));
                consumer.seekToBeginning(Set.of(dlt));
                ConsumerRecord<String, byte[]> letter = await().atMost(Duration.ofSeconds(30))
                        .until(() -> consumer.poll(Duration.ofMillis(200)).records(dlt).stream().findFirst()
                                .orElse(null), r -> r != null);
                assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not a job");
                assertThat(new String(letter.headers().lastHeader(DeadLetters.ORIGIN).value(), StandardCharsets.UTF_8))
                        .isEqualTo(Topics.JOBS + "-2@41");
                assertThat(new String(letter.headers().lastHeader(DeadLetters.CODE).value(), StandardCharsets.UTF_8))
                        .isEqualTo("poison");
            }
        } finally {
            stop.stop();
            producers.destroy();
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
