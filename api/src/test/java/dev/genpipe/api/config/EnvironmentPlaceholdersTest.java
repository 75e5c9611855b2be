package dev.genpipe.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.api.clients.ClientSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/** The deployment's environment variable names, as genpipe-api.yml's placeholders bind them. */
class EnvironmentPlaceholdersTest {

    @Test
    void mapsDeploymentVariablesToProperties() {
        Binder binder = binder(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "GENPIPE_API_TOPIC_PARTITIONS", "24",
                "GENPIPE_API_READ_YOUR_WRITES_WAIT", "3s",
                "PATH", "/usr/bin"));

        assertThat(binder.bind("spring.kafka.bootstrap-servers", String[].class).get()).containsExactly("kafka:9092");
        ApiSettings api = api(binder);
        assertThat(api.topicPartitions()).isEqualTo(24);
        assertThat(api.readYourWritesWait()).hasSeconds(3);
    }

    @Test
    void keepsTheDefaultsWithoutVariables() {
        Binder binder = binder(Map.of());

        assertThat(binder.bind("spring.kafka.bootstrap-servers", String[].class).get()).containsExactly("localhost:9092");
        assertThat(api(binder).topicPartitions()).isEqualTo(12);
        assertThat(api(binder).adminEnabled()).isFalse();
        ClientSettings clients = clients(binder);
        assertThat(clients.openAccess()).isFalse();
        assertThat(clients.apiKeys()).isEmpty();
        assertThat(clients.submitsPerMinute()).isEqualTo(120);
        assertThat(clients.maxStreams()).isEqualTo(20);
        assertThat(clients.dailyTokens()).isZero();
    }

    @Test
    void sharesTheTopicSettingsWithTheWorker() {
        ApiSettings api = api(binder(Map.of("GENPIPE_TOPIC_PARTITIONS", "6", "GENPIPE_TOPIC_REPLICAS", "3")));

        assertThat(api.topicPartitions()).isEqualTo(6);
        assertThat(api.topicReplicas()).isEqualTo((short) 3);
    }

    @Test
    void readsTheAdminTokenFromGenpipeAdminTokenOrAdminToken() {
        assertThat(api(binder(Map.of("ADMIN_TOKEN", "old"))).adminToken()).isEqualTo("old");
        assertThat(api(binder(Map.of("ADMIN_TOKEN", "old", "GENPIPE_ADMIN_TOKEN", "new"))).adminToken())
                .isEqualTo("new");
        assertThat(api(binder(Map.of("GENPIPE_ADMIN_TOKEN", "new", "GENPIPE_API_ADMIN_TOKEN", "own"))).adminToken())
                .isEqualTo("own");
    }

    @Test
    void readsTheClientSettings() {
        ClientSettings clients = clients(binder(Map.of(
                "GENPIPE_OPEN_ACCESS", "true",
                "GENPIPE_API_KEYS", "alice:" + "a".repeat(64) + ",bob:" + "b".repeat(64),
                "GENPIPE_CLIENT_SUBMITS_PER_MINUTE", "7",
                "GENPIPE_CLIENT_MAX_STREAMS", "3",
                "GENPIPE_CLIENT_DAILY_TOKENS", "1000")));

        assertThat(clients.openAccess()).isTrue();
        assertThat(clients.apiKeys()).isEqualTo(List.of("alice:" + "a".repeat(64), "bob:" + "b".repeat(64)));
        assertThat(clients.submitsPerMinute()).isEqualTo(7);
        assertThat(clients.maxStreams()).isEqualTo(3);
        assertThat(clients.dailyTokens()).isEqualTo(1000);
    }

    private static ApiSettings api(Binder binder) {
        return binder.bindOrCreate("genpipe.api", ApiSettings.class);
    }

    private static ClientSettings clients(Binder binder) {
        return binder.bindOrCreate("genpipe.clients", ClientSettings.class);
    }

    /** genpipe-api.yml below the given environment variables, as in the application. */
    private static Binder binder(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        try {
            new YamlPropertySourceLoader().load("genpipe-api.yml", new ClassPathResource("genpipe-api.yml"))
                    .forEach(sources::addLast);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Binder.get(environment);
    }
}
