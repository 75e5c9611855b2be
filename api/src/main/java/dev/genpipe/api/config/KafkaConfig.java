package dev.genpipe.api.config;

import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.kafka.WireSerializer;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

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

    @Bean
    NewTopic jobsTopic(ApiSettings settings) {
        return topic(Topics.JOBS, settings, TopicConfig.CLEANUP_POLICY_DELETE, settings.jobsRetention());
    }

    @Bean
    NewTopic jobEventsTopic(ApiSettings settings) {
        return topic(Topics.JOB_EVENTS, settings, TopicConfig.CLEANUP_POLICY_DELETE, settings.jobsRetention());
    }

    @Bean
    NewTopic jobStateTopic(ApiSettings settings) {
        return topic(Topics.JOB_STATE, settings,
                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE, settings.resultTtl());
    }

    @Bean
    NewTopic deadLetterTopic(ApiSettings settings) {
        return topic(Topics.JOBS_DLT, settings, TopicConfig.CLEANUP_POLICY_DELETE, settings.dltRetention());
    }

    /**
     * Worker heartbeats, key: worker id. Compacted: the API's store reads each worker's latest status. One partition:
     * a handful of small records per worker and heartbeat. The worker declares it identically.
     */
    @Bean
    NewTopic workerStatusTopic(ApiSettings settings) {
        return topic(Topics.WORKER_STATUS, 1, settings, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE, Duration.ofDays(1))
                .config(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0")
                .config(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()))
                .build();
    }

    /** Commands to every worker. Workers read it from its end, so an hour of retention is plenty. */
    @Bean
    NewTopic workerCommandsTopic(ApiSettings settings) {
        return topic(Topics.WORKER_COMMANDS, 1, settings, TopicConfig.CLEANUP_POLICY_DELETE, Duration.ofHours(1))
                .build();
    }

    /** Cancelled job ids, read by every worker from the beginning. */
    @Bean
    NewTopic jobCancellationsTopic(ApiSettings settings) {
        return topic(Topics.JOB_CANCELLATIONS, 1, settings, TopicConfig.CLEANUP_POLICY_DELETE, Duration.ofDays(1))
                .build();
    }

    /** Tokens per client and day (the daily budgets), read by every API instance. */
    @Bean
    NewTopic clientUsageTopic(ApiSettings settings) {
        return topic(Topics.CLIENT_USAGE, settings,
                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE, Duration.ofDays(3));
    }

    private static NewTopic topic(String name, ApiSettings settings, String cleanupPolicy, Duration retention) {
        return topic(name, settings.topicPartitions(), settings, cleanupPolicy, retention).build();
    }

    private static TopicBuilder topic(String name, int partitions, ApiSettings settings, String cleanupPolicy,
            Duration retention) {
        TopicBuilder builder = TopicBuilder.name(name)
                .partitions(partitions)
                .replicas(settings.topicReplicas())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy)
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        if (settings.topicReplicas() >= 3) {
            builder.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        }
        return builder;
    }
}
