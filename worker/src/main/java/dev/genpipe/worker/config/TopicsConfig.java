package dev.genpipe.worker.config;

import dev.genpipe.common.kafka.Topics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** The topics the worker reads and writes; created at start-up when missing (the API declares the same). */
@Configuration(proxyBeanMethods = false)
class TopicsConfig {

    private static final String DAY_MS = "86400000";

    @Bean
    KafkaAdmin.NewTopics genpipeTopics(@Value("${genpipe.topics.partitions:12}") int partitions,
                                       @Value("${genpipe.topics.replicas:1}") short replicas) {
        return new KafkaAdmin.NewTopics(
                topic(Topics.JOBS, partitions, replicas).config("retention.ms", days(7)).build(),
                topic(Topics.JOB_EVENTS, partitions, replicas).config("retention.ms", days(7)).build(),
                topic(Topics.JOBS_DLT, partitions, replicas).config("retention.ms", days(30)).build(),
                // compact keeps each worker's latest heartbeat; delete drops workers gone for a day
                TopicBuilder.name(Topics.WORKER_STATUS).partitions(1).replicas(replicas)
                        .config("cleanup.policy", "compact,delete").config("retention.ms", days(1)).config("min.compaction.lag.ms", "0")
                        .config("segment.ms", "3600000").build(),
                TopicBuilder.name(Topics.WORKER_COMMANDS).partitions(1).replicas(replicas)
                        .config("retention.ms", "3600000").build(),
                TopicBuilder.name(Topics.JOB_CANCELLATIONS).partitions(1).replicas(replicas)
                        .config("retention.ms", days(1)).build());
    }

    private static TopicBuilder topic(String name, int partitions, short replicas) {
        return TopicBuilder.name(name).partitions(partitions).replicas(replicas);
    }

    private static String days(int n) {
        return String.valueOf(Long.parseLong(DAY_MS) * n);
    }

}
