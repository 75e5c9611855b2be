package dev.genpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The Testcontainers path ({@code -Pcontainers}). Where a Docker engine exists this starts the containers and checks
 * them as LocalKafkaTest/LocalRedisTest check the embedded ones; where none exists (this project's CI) it checks that
 * asking for containers fails at once with a message that says what to do, instead of hanging or falling back.
 */
class ContainersTest {

    private static final boolean DOCKER = DockerClientFactory.instance().isDockerAvailable();

    @Test
    void theSelectionIsASystemPropertyWithAClearErrorForUnknownValues() {
        assertThat(Infrastructure.parse(null)).isEqualTo(Infrastructure.EMBEDDED);
        assertThat(Infrastructure.parse(" ")).isEqualTo(Infrastructure.EMBEDDED);
        assertThat(Infrastructure.parse("embedded")).isEqualTo(Infrastructure.EMBEDDED);
        assertThat(Infrastructure.parse("Containers")).isEqualTo(Infrastructure.CONTAINERS);
        assertThatThrownBy(() -> Infrastructure.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("genpipe.infra=docker");
        // the build passes it to every test JVM (pom.xml: embedded unless -Pcontainers)
        assertThat(System.getProperty(Infrastructure.PROPERTY)).isIn("embedded", "containers");
    }

    @Test
    void usesTheImagesOfTheComposeFile() throws IOException {
        String compose = Files.readString(Path.of("..", "docker-compose.yml"));
        assertThat(images(compose)).contains(Infrastructure.KAFKA_IMAGE, Infrastructure.REDIS_IMAGE);
    }

    @Test
    void kafkaContainer() throws Exception {
        if (!DOCKER) {
            assertThatThrownBy(() -> LocalKafka.start(0, Infrastructure.CONTAINERS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no Docker engine").hasMessageContaining("without -Pcontainers");
            return;
        }
        try (LocalKafka kafka = LocalKafka.start(0, Infrastructure.CONTAINERS);
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
    }

    @Test
    void redisContainerStopsAndRestartsOnTheSamePort() throws IOException {
        if (!DOCKER) {
            assertThatThrownBy(() -> LocalRedis.start(0, true, Infrastructure.CONTAINERS))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no Docker engine");
            return;
        }
        try (LocalRedis redis = LocalRedis.start(0, true, Infrastructure.CONTAINERS)) {
            assertThat(RedisWire.command(redis.host(), redis.port(), "SET", "k", "v")).containsExactly("+OK");
            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> RedisWire.command(redis.host(), redis.port(), "PING"))
                    .isInstanceOf(IOException.class);
            redis.restart();
            assertThat(RedisWire.command(redis.host(), redis.port(), "PING")).containsExactly("+PONG");
            assertThat(RedisWire.command(redis.host(), redis.port(), "GET", "k")).containsExactly("$-1");
        }
    }

    private static List<String> images(String compose) {
        Matcher m = Pattern.compile("(?m)^\\s*image:\\s*(\\S+)\\s*$").matcher(compose);
        List<String> images = new java.util.ArrayList<>();
        while (m.find()) {
            images.add(m.group(1));
        }
        return images;
    }
}
