package dev.genpipe.api;

import static dev.genpipe.api.ApiTestSupport.awaitReady;
import static dev.genpipe.api.ApiTestSupport.closeQuietly;
import static dev.genpipe.api.ApiTestSupport.get;
import static dev.genpipe.api.ApiTestSupport.json;
import static dev.genpipe.api.ApiTestSupport.post;
import static dev.genpipe.api.ApiTestSupport.startApi;
import static dev.genpipe.api.ApiTestSupport.startBroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import dev.genpipe.devstack.LocalKafka;

/** Job state lives for the result TTL, then every instance forgets it. Own broker: the TTL is the whole point. */
class JobExpiryIntegrationTest {

    @Test
    void forgetsJobsAfterTheResultTtl() {
        LocalKafka broker = startBroker();
        ConfigurableApplicationContext api = null;
        try {
            api = startApi(broker.bootstrapServers(), "genpipe.api.result-ttl=3s");
            awaitReady(api);
            HttpResponse<String> accepted = post(api, """
                    {"type":"EXPLANATION","input":{"topic":"Rust","subtopic":"Ownership","level":"beginner"}}""");
            String self = json(accepted).at("/links/self").asString();
            assertThat(get(api, self).statusCode()).isEqualTo(200);

            ConfigurableApplicationContext running = api;
            await().atMost(Duration.ofSeconds(20)).until(() -> get(running, self).statusCode() == 404);
        } finally {
            closeQuietly(api, broker);
        }
    }
}
