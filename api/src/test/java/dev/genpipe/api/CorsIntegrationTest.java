package dev.genpipe.api;

import static dev.genpipe.api.ApiTestSupport.awaitReady;
import static dev.genpipe.api.ApiTestSupport.closeQuietly;
import static dev.genpipe.api.ApiTestSupport.startApi;
import static dev.genpipe.api.ApiTestSupport.startBroker;
import static dev.genpipe.api.ApiTestSupport.uri;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.devstack.LocalKafka;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** A frontend on another origin: real preflights against a running API, allowed origin, other origin, none set. */
class CorsIntegrationTest {

    private static final String FRONTEND = "http://127.0.0.1:5173";

    private static LocalKafka broker;
    private static ConfigurableApplicationContext api;
    private static ConfigurableApplicationContext closed;

    @BeforeAll
    static void start() {
        broker = startBroker();
        api = startApi(broker.bootstrapServers(), "genpipe.cors.origins=" + FRONTEND + ", https://app.example.com",
                "genpipe.clients.open-access=true");
        closed = startApi(broker.bootstrapServers(), "genpipe.clients.open-access=true");
        awaitReady(api);
        awaitReady(closed);
    }

    @AfterAll
    static void stop() {
        closeQuietly(api, closed, broker);
    }

    @Test
    void anAllowedOriginGetsItsPreflightAndTheHeadersItNeeds() {
        HttpResponse<String> preflight = preflight(api, "/api/jobs", FRONTEND, "POST", "content-type,x-api-key");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(FRONTEND);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("x-api-key").contains("content-type");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        HttpResponse<String> resume = preflight(api, "/api/jobs/00000000-0000-4000-8000-000000000000/events",
                FRONTEND, "GET", "last-event-id");
        assertThat(resume.statusCode()).isEqualTo(200);
        assertThat(resume.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("last-event-id");

        HttpResponse<String> submit = ApiTestSupport.send(HttpRequest.newBuilder(uri(api, "/api/jobs"))
                .header("Origin", FRONTEND).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"type":"SUBTOPICS","input":{"topic":"Cross-origin"}}""")).build());
        assertThat(submit.statusCode()).isEqualTo(202);
        assertThat(submit.headers().firstValue("Access-Control-Allow-Origin")).contains(FRONTEND);
        assertThat(submit.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Location");
    }

    @Test
    void anotherOriginIsRefusedAndNoOriginsMeansNone() {
        assertThat(preflight(api, "/api/jobs", "https://evil.example.net", "POST", "content-type").statusCode())
                .isEqualTo(403);
        HttpResponse<String> none = preflight(closed, "/api/jobs", FRONTEND, "POST", "content-type");
        assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private static HttpResponse<String> preflight(ConfigurableApplicationContext app, String path, String origin,
                                                  String method, String headers) {
        return ApiTestSupport.send(HttpRequest.newBuilder(uri(app, path))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }
}
