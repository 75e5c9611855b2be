package dev.genpipe.api;

import static org.awaitility.Awaitility.await;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.kafka.GenPipeJson;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.pool.WorkerStatus;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.kafka.WireSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import dev.genpipe.devstack.LocalKafka;
import tools.jackson.databind.JsonNode;

/** Real Kafka, a real API over HTTP, and a stand-in worker that writes job events. */
final class ApiTestSupport {

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ApiTestSupport() {
    }

    /** A one-node Kafka: devstack's LocalKafka (in-process KRaft, or a container with -Pcontainers). */
    static LocalKafka startBroker() {
        return LocalKafka.start();
    }

    /** Plays the workers' heartbeats: writes {@link WorkerStatus} records the way workers do. */
    static KafkaProducer<String, WorkerStatus> heartbeatProducer(LocalKafka broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), JsonSerde.of(WorkerStatus.class));
    }

    /** Plays a worker: writes job events the way workers do (key: the job's event key). */
    static KafkaProducer<String, Object> workerProducer(LocalKafka broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new dev.genpipe.common.kafka.WireSerializer());
    }

    /** The admin token of every API these tests start (unless a test sets its own). */
    static final String ADMIN_TOKEN = "api-test-admin-token";

    /**
     * Starts an API instance the way embedders do, on a free port. The properties go in as command-line arguments:
     * they win over genpipe-api.yml (whose environment placeholders would override a builder's default properties);
     * a later one of the same name wins over an earlier one.
     */
    static ConfigurableApplicationContext startApi(String bootstrapServers, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "spring.kafka.bootstrap-servers=" + bootstrapServers,
                "genpipe.api.topic-partitions=3",
                "genpipe.clients.open-access=true",
                "genpipe.api.admin-token=" + ADMIN_TOKEN,
                "spring.lifecycle.timeout-per-shutdown-phase=5s"));
        all.addAll(List.of(properties));
        Map<String, String> byName = new LinkedHashMap<>();
        all.forEach(property -> byName.put(property.substring(0, property.indexOf('=')), "--" + property));
        return ApiApplication.builder().run(byName.values().toArray(String[]::new));
    }

    static void awaitReady(ConfigurableApplicationContext api) {
        await("readiness of the API on port " + port(api)).atMost(Duration.ofSeconds(60))
                .until(() -> get(api, "/actuator/health/readiness").statusCode() == 200);
    }

    static int port(ConfigurableApplicationContext api) {
        return Integer.parseInt(api.getEnvironment().getRequiredProperty("local.server.port"));
    }

    static URI uri(ConfigurableApplicationContext api, String path) {
        return URI.create("http://localhost:" + port(api) + path);
    }

    /** A GET that also carries the tests' admin token (actuator endpoints other than health want it). */
    static HttpResponse<String> get(ConfigurableApplicationContext api, String path) {
        return send(HttpRequest.newBuilder(uri(api, path)).timeout(Duration.ofSeconds(20))
                .header("X-Admin-Token", ADMIN_TOKEN).GET().build());
    }

    static HttpResponse<String> post(ConfigurableApplicationContext api, String json) {
        return send(HttpRequest.newBuilder(uri(api, "/api/jobs"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return GenPipeJson.mapper().readTree(response.body());
    }

    /** A port nothing listens on. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void closeQuietly(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("could not close " + closeable + ": " + e);
                }
            }
        }
    }

    /** Plays the worker: writes job events the way workers do (key: job id). */
    static final class FakeWorker implements AutoCloseable {

        private final KafkaProducer<String, Object> producer;

        FakeWorker(String bootstrapServers) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new WireSerializer());
        }

        void publish(JobEvent... events) {
            try {
                for (JobEvent event : events) {
                    producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, event.jobId().toString(), event))
                            .get(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("could not publish job events", e);
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** One Server-Sent Event as it came over the wire. */
    record SseFrame(String id, String event, String data) {

        JsonNode json() {
            return GenPipeJson.mapper().readTree(data);
        }

        static List<SseFrame> parse(List<String> lines) {
            List<SseFrame> frames = new ArrayList<>();
            String id = null;
            String event = null;
            StringBuilder data = null;
            for (String line : lines) {
                if (line.isEmpty()) {
                    if (data != null) {
                        frames.add(new SseFrame(id, event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = field(line);
                } else if (line.startsWith("event:")) {
                    event = field(line);
                } else if (line.startsWith("data:")) {
                    data = data == null ? new StringBuilder(field(line)) : data.append('\n').append(field(line));
                }
            }
            return frames;
        }

        private static String field(String line) {
            String value = line.substring(line.indexOf(':') + 1);
            return value.startsWith(" ") ? value.substring(1) : value;
        }
    }
}
