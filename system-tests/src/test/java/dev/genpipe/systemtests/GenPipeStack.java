package dev.genpipe.systemtests;

import dev.genpipe.api.ApiApplication;
import dev.genpipe.devstack.GeminiStandIn;
import dev.genpipe.devstack.LocalKafka;
import dev.genpipe.devstack.LocalRedis;
import dev.genpipe.worker.WorkerApplication;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The assembled system on real parts, in one JVM: a real Kafka broker (KRaft), a real redis-server, the Gemini
 * stand-in, and API and worker Spring Boot applications started on free ports. Closing it stops everything it
 * started, in reverse order, even when a test failed. The one test fixture of the system tests (the console and ops
 * tests in their own packages use it too); Kafka and Redis come from devstack, so {@code -Pcontainers} applies.
 */
public final class GenPipeStack implements AutoCloseable {

    static final int PARTITIONS = 3;

    public final LocalKafka kafka;
    public final LocalRedis redis;
    public final GeminiStandIn gemini;
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();
    private final List<ConfigurableApplicationContext> workers = new ArrayList<>();

    private GenPipeStack(LocalKafka kafka, LocalRedis redis, GeminiStandIn gemini) {
        this.kafka = kafka;
        this.redis = redis;
        this.gemini = gemini;
    }

    public static GenPipeStack start() {
        LocalKafka kafka = LocalKafka.start();
        LocalRedis redis = null;
        try {
            redis = LocalRedis.start();
            return new GenPipeStack(kafka, redis, GeminiStandIn.start());
        } catch (RuntimeException e) {
            if (redis != null) {
                redis.close();
            }
            kafka.close();
            throw e;
        }
    }

    /**
     * Starts an API instance; returns a client of it. Open access (no API keys) unless the properties say otherwise.
     */
    public ApiClient startApi(String... extraProperties) {
        ApiClient client = new ApiClient("http://127.0.0.1:" + port(startApiApp(extraProperties)));
        // the job-state store loads in the background: wait until the instance says it is ready
        await().atMost(Duration.ofSeconds(60)).until(client::ready);
        return client;
    }

    /** Starts an API instance without waiting for it to be ready (for tests that check readiness elsewhere). */
    public ConfigurableApplicationContext startApiApp(String... extraProperties) {
        boolean accessGiven = Stream.of(extraProperties).anyMatch(p -> p.startsWith("genpipe.clients.open-access"));
        return run(ApiApplication.builder(), Stream.of(
                Stream.of("server.port=0",
                        "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "genpipe.api.topic-partitions=" + PARTITIONS,
                        // load tests submit hundreds of jobs a minute as one client (tests that test it set their own)
                        "genpipe.clients.submits-per-minute=100000"),
                accessGiven ? Stream.<String>empty() : Stream.of("genpipe.clients.open-access=true"),
                Stream.of(extraProperties)).flatMap(s -> s).toArray(String[]::new));
    }

    private static final String WORKER_WITHOUT_SECURITY = String.join(",",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration");

    public ConfigurableApplicationContext startWorker(String id, String... extraProperties) {
        ConfigurableApplicationContext worker = startWorkerApp(id, extraProperties);
        workers.add(worker);
        return worker;
    }

    /** The workers started in this JVM that are still running. */
    public List<ConfigurableApplicationContext> workers() {
        workers.removeIf(worker -> !worker.isActive());
        return List.copyOf(workers);
    }

    private ConfigurableApplicationContext startWorkerApp(String id, String... extraProperties) {
        return run(WorkerApplication.builder(), Stream.concat(Stream.of(
                "server.port=0",
                "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "genpipe.topics.partitions=" + PARTITIONS,
                "genpipe.worker.id=" + id,
                "genpipe.worker.shutdown-grace=2s",
                "genpipe.worker.retry-base-delay=100ms",
                "genpipe.worker.retry-max-delay=1s",
                "genpipe.gemini.api-key=" + TestSecrets.GEMINI_KEY,
                "genpipe.gemini.base-url=" + gemini.baseUrl(),
                "genpipe.gemini.timeout=5",
                "genpipe.cache.redis-host=" + redis.host(),
                "genpipe.cache.redis-port=" + redis.port(),
                // this JVM's classpath carries the API's Spring Security; a worker's has none (actuator stays open)
                "spring.autoconfigure.exclude=" + WORKER_WITHOUT_SECURITY), Stream.of(extraProperties))
                .toArray(String[]::new));
    }

    /** A bean of a running app (tests look at a worker's breaker, for instance). */
    static <T> T bean(ConfigurableApplicationContext app, Class<T> type) {
        return app.getBean(type);
    }

    void stop(ConfigurableApplicationContext app) {
        apps.remove(app);
        app.close();
    }

    private ConfigurableApplicationContext run(SpringApplicationBuilder application, String... properties) {
        // a later property of the same name replaces an earlier one (the stack's defaults, then the test's own)
        java.util.Map<String, String> merged = new java.util.LinkedHashMap<>();
        for (String property : properties) {
            merged.put(property.substring(0, property.indexOf('=')), property);
        }
        // as command-line arguments: they win over application.yml (builder "properties" are only defaults)
        String[] args = merged.values().stream().map(p -> "--" + p).toArray(String[]::new);
        ConfigurableApplicationContext context = application.run(args);
        apps.add(context);
        return context;
    }

    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = apps.size() - 1; i >= 0; i--) {
            try {
                apps.get(i).close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        apps.clear();
        for (AutoCloseable part : new AutoCloseable[] {gemini, redis, kafka}) {
            try {
                part.close();
            } catch (Exception e) {
                failure = new IllegalStateException("could not stop " + part, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
