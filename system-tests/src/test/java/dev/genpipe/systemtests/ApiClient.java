package dev.genpipe.systemtests;

import dev.genpipe.common.kafka.GenPipeJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** A small HTTP client for the GenPipe API, as a frontend would use it. */
public final class ApiClient {

    /** One Server-Sent Event. */
    record SseEvent(String id, String event, JsonNode data) {
    }

    record Response(int status, String contentType, JsonNode body, String location, String retryAfter, String text,
                    java.net.http.HttpHeaders headers) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

    }

    /** The longest any request without its own timeout may wait for its answer (Prefer: wait allows 30 s). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String baseUrl) {
        this(baseUrl, null);
    }

    private ApiClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** The same API, called with this client's API key. */
    ApiClient as(String key) {
        return new ApiClient(baseUrl, key);
    }

    /** Sends any request (with this client's key, if any) and returns status, content type and JSON body. */
    Response raw(HttpRequest.Builder request) {
        return send(request.build());
    }

    public String baseUrl() {
        return baseUrl;
    }

    boolean ready() {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness")).GET().build())
                .status() == 200;
    }

    Response submit(String json) {
        return submit(json, null);
    }

    Response submit(String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    /** Submits and returns the job id, failing unless the API answered 202. */
    String submitted(String json) {
        Response response = submit(json);
        if (response.status() != 202) {
            throw new AssertionError("expected 202 but got " + response.status() + ": " + response.body());
        }
        return response.body().get("jobId").asString();
    }

    /** An admin request; {@code token} null sends none. */
    Response admin(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    Response job(String jobId) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs/" + jobId)).GET().build());
    }

    /** Reads the job's SSE stream until the server closes it (bounded by {@code timeout}). */
    List<SseEvent> events(String jobId, String lastEventId, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs/" + jobId + "/events"))
                .header("Accept", "text/event-stream").timeout(timeout).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new AssertionError("SSE answered " + response.statusCode());
            }
            try (Stream<String> lines = response.body()) {
                return parse(lines.iterator());
            }
        } catch (IOException e) {
            throw new IllegalStateException("SSE stream of " + jobId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A client's stream of all its jobs' events ({@code GET /api/jobs/events}), read in the background. */
    record AllEvents(List<SseEvent> received, Stream<String> lines) implements AutoCloseable {
        @Override
        public void close() {
            lines.close();
        }

        List<SseEvent> of(String jobId) {
            return received.stream().filter(e -> jobId.equals(e.data().path("jobId").asString(null))).toList();
        }
    }

    /** Opens {@code GET /api/jobs/events} and collects its events until closed. */
    AllEvents allEvents() {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs/events"))
                .header("Accept", "text/event-stream").GET();
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new AssertionError("SSE of all jobs answered " + response.statusCode());
            }
            List<SseEvent> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            Stream<String> lines = response.body();
            Thread.ofVirtual().start(() -> {
                StringBuilder frame = new StringBuilder();
                try {
                    lines.forEach(line -> {
                        frame.append(line).append('\n');
                        if (line.isEmpty()) {
                            received.addAll(parse(frame.toString().lines().iterator()));
                            frame.setLength(0);
                        }
                    });
                } catch (RuntimeException closed) {
                    // the test closed the stream
                }
            });
            return new AllEvents(received, lines);
        } catch (IOException e) {
            throw new IllegalStateException("SSE stream of all jobs failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads the first {@code count} events of the job's stream, then hangs up (a client that goes away mid-stream). */
    List<SseEvent> firstEvents(String jobId, int count, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs/" + jobId + "/events"))
                .header("Accept", "text/event-stream").timeout(timeout).GET();
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                List<SseEvent> events = new ArrayList<>();
                Iterator<String> it = lines.iterator();
                StringBuilder frame = new StringBuilder();
                while (events.size() < count && it.hasNext()) {
                    String line = it.next();
                    frame.append(line).append('\n');
                    if (line.isEmpty()) {
                        events.addAll(parse(frame.toString().lines().iterator()));
                        frame.setLength(0);
                    }
                }
                return events;
            }
        } catch (IOException e) {
            throw new IllegalStateException("SSE stream of " + jobId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<SseEvent> parse(Iterator<String> lines) {
        List<SseEvent> events = new ArrayList<>();
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    events.add(new SseEvent(id, event, GenPipeJson.mapper().readTree(data.toString())));
                }
                id = null;
                event = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            }
        }
        if (!data.isEmpty()) {
            events.add(new SseEvent(id, event, GenPipeJson.mapper().readTree(data.toString())));
        }
        return events;
    }

    private Response send(HttpRequest request) {
        HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
        // a server that never answers fails the test instead of hanging it
        copy.timeout(request.timeout().orElse(REQUEST_TIMEOUT));
        if (apiKey != null && request.headers().firstValue("X-API-Key").isEmpty()) {
            copy.header("X-API-Key", apiKey);
        }
        request = copy.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode json = body == null || body.isBlank() || !type.contains("json") ? null
                    : GenPipeJson.mapper().readTree(body);
            return new Response(response.statusCode(), type, json, response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null), body, response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
