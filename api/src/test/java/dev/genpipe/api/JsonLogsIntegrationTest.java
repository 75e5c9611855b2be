package dev.genpipe.api;

import static dev.genpipe.api.ApiTestSupport.awaitReady;
import static dev.genpipe.api.ApiTestSupport.closeQuietly;
import static dev.genpipe.api.ApiTestSupport.startApi;
import static dev.genpipe.api.ApiTestSupport.startBroker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.common.kafka.GenPipeJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import dev.genpipe.devstack.LocalKafka;
import tools.jackson.databind.JsonNode;

/** The profile {@code json-logs}: the API's console output is one ECS JSON object per line. */
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsIntegrationTest {

    private static final java.util.regex.Pattern BROKER_LINE = java.util.regex.Pattern.compile(
            "^\\S+ +[A-Z]+ \\d+ --- \\[[^\\]]*\\] \\[[^\\]]*\\] (kafka\\.|org\\.apache\\.kafka\\.(?!clients)|o\\.a\\.k\\.)|^Formatting metadata");

    @Test
    void logsOneJsonObjectPerLineWithTheInstanceId(CapturedOutput output) {
        LocalKafka broker = startBroker();
        ConfigurableApplicationContext api = null;
        try {
            int before = output.getOut().length(); // the broker's own start-up lines are plain text
            api = startApi(broker.bootstrapServers(), "spring.profiles.active=json-logs",
                    "genpipe.api.instance-id=json-api");
            awaitReady(api);

            // the in-process broker of this test logs through the same console in its own (plain) format: its lines
            // are not the API's; every other line must be JSON
            List<String> lines = output.getOut().substring(before).lines().filter(line -> !line.isBlank())
                    .filter(line -> !BROKER_LINE.matcher(line).find()).toList();
            assertThat(lines).isNotEmpty();
            List<JsonNode> logs = lines.stream().map(line -> GenPipeJson.mapper().readTree(line)).toList();
            assertThat(logs).allSatisfy(log -> {
                assertThat(log.get("@timestamp").asString()).isNotBlank();
                assertThat(log.at("/log/level").asString()).isNotBlank();
                assertThat(log.at("/service/name").asString()).isEqualTo("genpipe-api");
                assertThat(log.at("/service/node/name").asString()).isEqualTo("json-api");
            });
            assertThat(logs).anySatisfy(log -> assertThat(log.get("message").asString()).startsWith("Started "));
        } finally {
            closeQuietly(api, broker);
        }
    }
}
