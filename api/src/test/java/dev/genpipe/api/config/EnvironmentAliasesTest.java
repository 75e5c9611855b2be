package dev.genpipe.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentAliasesTest {

    @Test
    void mapsDeploymentVariablesToProperties() {
        Map<String, Object> aliases = EnvironmentAliases.aliases(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "GENPIPE_API_TOPIC_PARTITIONS", "24",
                "GENPIPE_API_READ_YOUR_WRITES_WAIT", "3s",
                "PATH", "/usr/bin"));

        assertThat(aliases).containsOnly(
                Map.entry("spring.kafka.bootstrap-servers", "kafka:9092"),
                Map.entry("genpipe.api.topic-partitions", "24"),
                Map.entry("genpipe.api.read-your-writes-wait", "3s"));
    }

    @Test
    void sharesTheTopicSettingsWithTheWorker() {
        assertThat(EnvironmentAliases.aliases(Map.of("GENPIPE_TOPIC_PARTITIONS", "6", "GENPIPE_TOPIC_REPLICAS", "3")))
                .containsOnly(Map.entry("genpipe.api.topic-partitions", "6"), Map.entry("genpipe.api.topic-replicas", "3"));
    }

    @Test
    void readsTheAdminTokenFromGenpipeAdminTokenOrAdminToken() {
        assertThat(EnvironmentAliases.aliases(Map.of("ADMIN_TOKEN", "old")))
                .containsOnly(Map.entry("genpipe.api.admin-token", "old"));
        assertThat(EnvironmentAliases.aliases(Map.of("ADMIN_TOKEN", "old", "GENPIPE_ADMIN_TOKEN", "new")))
                .containsOnly(Map.entry("genpipe.api.admin-token", "new"));
        assertThat(EnvironmentAliases.aliases(Map.of(
                "GENPIPE_ADMIN_TOKEN", "new", "GENPIPE_API_ADMIN_TOKEN", "own")))
                .containsOnly(Map.entry("genpipe.api.admin-token", "own"));
    }

    @Test
    void ignoresBlankBootstrapServers() {
        assertThat(EnvironmentAliases.aliases(Map.of("KAFKA_BOOTSTRAP_SERVERS", " "))).isEmpty();
    }
}
