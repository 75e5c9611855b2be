package dev.genpipe.devstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.genpipe.devstack.GeminiStandIn.Failure;
import java.io.IOException;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin API under {@code /standin}: {@code GET stats}, {@code POST config}, {@code POST reset}.
 * Every answer is the stats JSON.
 */
final class AdminHandler implements HttpHandler {

    private final GeminiStandIn standIn;
    private final JsonMapper mapper;

    AdminHandler(GeminiStandIn standIn, JsonMapper mapper) {
        this.standIn = standIn;
        this.mapper = mapper;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            switch (route) {
                case "GET /standin/stats" -> HttpReplies.json(exchange, 200, stats());
                case "POST /standin/reset" -> {
                    standIn.reset();
                    HttpReplies.json(exchange, 200, stats());
                }
                case "POST /standin/config" -> configure(exchange);
                default -> HttpReplies.json(exchange, 404,
                        problem("use GET /standin/stats, POST /standin/config or POST /standin/reset"));
            }
        }
    }

    private void configure(HttpExchange exchange) throws IOException {
        try {
            apply(mapper.readTree(HttpReplies.body(exchange)));
        } catch (JacksonException | IllegalArgumentException e) {
            HttpReplies.json(exchange, 400, problem("bad stand-in config: " + e.getMessage()));
            return;
        }
        HttpReplies.json(exchange, 200, stats());
    }

    /** Absent keys leave a setting as it is; {@code "failure": null} recovers. */
    private void apply(JsonNode config) {
        if (!config.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        if (config.hasNonNull("latencyMs")) {
            standIn.latency(Duration.ofMillis(number(config, "latencyMs")));
        }
        if (config.hasNonNull("hold")) { // true: calls wait until released ("hold": false) or allowed
            if (config.get("hold").asBoolean()) {
                standIn.hold();
            } else {
                standIn.release();
            }
        }
        if (config.hasNonNull("allow")) {
            standIn.allow((int) number(config, "allow"));
        }
        if (config.hasNonNull("retryDelaySeconds")) {
            standIn.retryDelay(Duration.ofSeconds(number(config, "retryDelaySeconds")));
        }
        if (config.hasNonNull("dailyRetryDelaySeconds")) {
            standIn.dailyRetryDelay(Duration.ofSeconds(number(config, "dailyRetryDelaySeconds")));
        }
        if (config.hasNonNull("failModel")) { // {"failModel": "gemini-2.5-flash", "failure": "DAILY_QUOTA"}
            JsonNode failure = config.path("failure");
            standIn.failModel(config.get("failModel").asString(),
                    failure.isString() ? Failure.parse(failure.asString()) : null);
            return;
        }
        if (config.has("failure")) {
            JsonNode failure = config.get("failure");
            if (failure.isNull()) {
                standIn.recover();
                return;
            }
            Failure parsed = Failure.parse(failure.asString());
            long count = config.hasNonNull("failCount") ? number(config, "failCount") : -1;
            if (count < 0) {
                standIn.failAlways(parsed);
            } else {
                standIn.failNext((int) count, parsed);
            }
        }
    }

    private static long number(JsonNode config, String field) {
        JsonNode value = config.get(field);
        if (!value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be a whole number, got " + value);
        }
        return value.longValue();
    }

    private String stats() {
        StandInSettings.Snapshot settings = standIn.settings();
        ObjectNode stats = mapper.createObjectNode();
        stats.put("calls", standIn.calls());
        stats.put("peakConcurrency", standIn.peakConcurrency());
        stats.put("latencyMs", settings.latency().toMillis());
        stats.put("failure", settings.failure() == null ? null : settings.failure().name());
        stats.put("failRemaining", settings.failRemaining());
        stats.put("retryDelaySeconds", settings.retryDelay().toSeconds());
        stats.put("dailyRetryDelaySeconds", settings.dailyRetryDelay().toSeconds());
        ObjectNode models = stats.putObject("modelFailures");
        settings.modelFailures().forEach((model, failure) -> models.put(model, failure.name()));
        return mapper.writeValueAsString(stats);
    }

    private String problem(String message) {
        ObjectNode body = mapper.createObjectNode();
        body.put("error", message);
        return mapper.writeValueAsString(body);
    }
}
