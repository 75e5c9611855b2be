package dev.genpipe.api.config;

import dev.genpipe.common.kafka.TopicPlan;
import dev.genpipe.common.kafka.WireSerializer;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Kafka wiring: Boot's producer factory made idempotent with {@code acks=all} (a 202 means the job's one record is on
 * every in-sync replica) and bounded in time by {@code genpipe.api.submit-timeout} (an HTTP request never hangs on Kafka), plus the topics, which Boot's
 * KafkaAdmin creates. No transactions: a job is one record, so there is nothing to write atomically, and no
 * transaction markers cost the broker a write per touched partition.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    private static final int LINGER_MS = 2;

    @Bean
    DefaultKafkaProducerFactoryCustomizer jobProducer(ApiSettings settings) {
        int timeout = (int) settings.submitTimeout().toMillis();
        return factory -> {
            factory.updateConfigs(Map.of(
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, WireSerializer.class,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    // submits that arrive within 2 ms share one produce request (a batch per partition)
                    ProducerConfig.LINGER_MS_CONFIG, LINGER_MS,
                    // a submit's whole budget (genpipe.api.submit-timeout): waiting for metadata, for the batch to
                    // leave, for the acknowledgement; delivery.timeout.ms must be at least linger + request timeout
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, timeout - LINGER_MS),
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeout, LINGER_MS + 1)));
            // a producer that failed is closed on the request thread: keep that short too
            factory.setPhysicalCloseTimeout((int) Math.max(1, settings.submitTimeout().toSeconds() / 2));
        };
    }

    /** The topics (common's TopicPlan, which the workers declare too); Boot's KafkaAdmin creates missing ones. */
    @Bean
    KafkaAdmin.NewTopics genpipeTopics(ApiSettings settings) {
        return new KafkaAdmin.NewTopics(new TopicPlan(settings.topicPartitions(), settings.topicReplicas(),
                settings.jobsRetention(), settings.dltRetention()).topics()
                .toArray(NewTopic[]::new));
    }
}
