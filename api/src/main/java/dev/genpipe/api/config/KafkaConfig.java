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
 * Kafka wiring: Boot's producer factory made transactional (a request and its first event are written together) and
 * bounded in time (an HTTP request never hangs on Kafka), plus the topics, which Boot's KafkaAdmin creates.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    @Bean
    DefaultKafkaProducerFactoryCustomizer transactionalJobProducer(ApiSettings settings) {
        long timeout = settings.kafkaTimeout().toMillis();
        return factory -> {
            factory.updateConfigs(Map.of(
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, WireSerializer.class,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout,
                    // an API that dies inside a transaction blocks read_committed readers until the broker aborts it
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) (2 * timeout)));
            factory.setTransactionIdPrefix("genpipe-api-" + settings.instanceId() + "-");
            // a producer that failed is closed on the request thread: keep that short too
            factory.setPhysicalCloseTimeout((int) Math.max(1, settings.kafkaTimeout().toSeconds() / 2));
        };
    }

    /** The topics (common's TopicPlan, which the workers declare too); Boot's KafkaAdmin creates missing ones. */
    @Bean
    KafkaAdmin.NewTopics genpipeTopics(ApiSettings settings) {
        return new KafkaAdmin.NewTopics(new TopicPlan(settings.topicPartitions(), settings.topicReplicas(),
                settings.jobsRetention(), settings.resultTtl(), settings.dltRetention()).topics()
                .toArray(NewTopic[]::new));
    }
}
