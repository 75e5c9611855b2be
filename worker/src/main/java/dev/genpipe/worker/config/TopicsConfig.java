package dev.genpipe.worker.config;

import dev.genpipe.common.kafka.TopicPlan;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics, created at start-up when missing: common's TopicPlan, which the API declares too (with its retention
 * settings; here the defaults, since whichever process starts first creates them).
 */
@Configuration(proxyBeanMethods = false)
class TopicsConfig {

    @Bean
    KafkaAdmin.NewTopics genpipeTopics(@Value("${genpipe.topics.partitions:12}") int partitions,
                                       @Value("${genpipe.topics.replicas:1}") short replicas) {
        return new KafkaAdmin.NewTopics(TopicPlan.withDefaults(partitions, replicas).topics().toArray(NewTopic[]::new));
    }
}
