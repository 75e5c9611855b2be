package dev.genpipe.bench;

import dev.genpipe.devstack.FreePorts;
import dev.genpipe.devstack.GeminiStandIn;
import dev.genpipe.devstack.LocalKafka;
import dev.genpipe.devstack.LocalRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The system under test, started as the local run starts it: Kafka (KRaft), redis-server and the Gemini stand-in in
 * this JVM's care, the API and the GenPipe workers as child JVMs from their exec jars, and the BullMQ worker on Node
 * against the same Redis and stand-in. {@link #close()} stops every process it started, whatever state it is in.
 */
final class Stack implements AutoCloseable {

    static final String API_JAR = "api/target/genpipe-api-0.1.0-SNAPSHOT-exec.jar";
    static final String WORKER_JAR = "worker/target/genpipe-worker-0.1.0-SNAPSHOT-exec.jar";
    static final String BULLMQ_QUEUE = "genpipe-bench";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
    private static final String CHILD_HEAP = "-Xmx512m";

    private final BenchSettings settings;
    private final Consumer<String> log;
    private final Resources resources;
    private final List<Spawned> children = new ArrayList<>();
    private final List<Spawned> genpipeWorkers = new ArrayList<>();
    private final Map<String, Path> recordings = new HashMap<>();
    private LocalKafka kafka;
    private LocalRedis redis;
    private GeminiStandIn standIn;
    private Spawned api;
    private Spawned bullmqWorker;
    private int apiPort;
    private String node;
    private boolean closed;

    Stack(BenchSettings settings, Resources resources, Consumer<String> log) {
        this.settings = settings;
        this.resources = resources;
        this.log = log;
    }

    /** Starts everything and waits until the API, the workers and the BullMQ worker are ready. */
    synchronized void start() throws IOException, InterruptedException {
        // copies: a rebuild while the benchmark runs must not pull the jars from under the running JVMs
        Files.createDirectories(workDir().resolve("jars"));
        Path apiJar = copy(requireFile(API_JAR, "build first: mvn -B -DskipTests install (bin/bench.sh does)"));
        Path workerJar = copy(requireFile(WORKER_JAR, "build first: mvn -B -DskipTests install (bin/bench.sh does)"));
        node = NodeDeps.ensureInstalled(bullmqDir(), log);
        Files.createDirectories(workDir().resolve("logs"));
        resources.track("harness JVM (Kafka broker, stand-in, GenPipe load generator)", Resources.Role.SHARED,
                ProcessHandle.current().pid());

        log.accept("starting Kafka (KRaft, in-process), redis-server and the Gemini stand-in ...");
        kafka = LocalKafka.start();
        redis = LocalRedis.start();
        redisPid().ifPresent(pid -> resources.track("redis-server", Resources.Role.SHARED, pid));
        standIn = GeminiStandIn.start().latency(Duration.ofMillis(settings.latencyMs()));

        apiPort = FreePorts.next();
        Map<String, String> apiEnv = new HashMap<>(Map.of(
                "SERVER_PORT", Integer.toString(apiPort),
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "GENPIPE_OPEN_ACCESS", "true",
                "GENPIPE_CLIENT_SUBMITS_PER_MINUTE", "1000000",
                "GENPIPE_CLIENT_MAX_STREAMS", "100000",
                "GENPIPE_API_INSTANCE_ID", "bench-api"));
        api = startJvm("api", apiJar, apiEnv);
        resources.track("api", Resources.Role.GENPIPE, api.pid());
        List<Integer> workerPorts = new ArrayList<>();
        for (int i = 0; i < settings.workers(); i++) {
            int port = FreePorts.next();
            workerPorts.add(port);
            Map<String, String> env = new HashMap<>(Map.of(
                    "SERVER_PORT", Integer.toString(port),
                    "GENPIPE_WORKER_ID", "bench-worker-" + (i + 1),
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "REDIS_HOST", redis.host(),
                    "REDIS_PORT", Integer.toString(redis.port()),
                    "GEMINI_BASE_URL", standIn.baseUrl(),
                    "GEMINI_API_KEY", "bench",
                    "GENPIPE_MAX_IN_FLIGHT", Integer.toString(settings.maxInFlightOf(i))));
            Spawned worker = startJvm("worker-" + (i + 1), workerJar, env);
            genpipeWorkers.add(worker);
            resources.track("worker-" + (i + 1), Resources.Role.GENPIPE, worker.pid());
        }

        CompletableFuture<Void> bullmqReady = new CompletableFuture<>();
        bullmqWorker = Spawned.start("bullmq-worker", List.of(node, "worker.js", "--watch-stdin"), Map.of(
                        "REDIS_HOST", redis.host(), "REDIS_PORT", Integer.toString(redis.port()),
                        "QUEUE", BULLMQ_QUEUE, "CONCURRENCY", Integer.toString(settings.concurrency()),
                        "STANDIN_URL", standIn.baseUrl(), "GEMINI_API_KEY", "bench", "MAX_LIFETIME_S", "3600"),
                bullmqDir(), workDir().resolve("logs/bullmq-worker.log"), line -> {
                    if (line.contains("\"event\":\"ready\"")) {
                        bullmqReady.complete(null);
                    }
                });
        children.add(bullmqWorker);
        resources.track("bullmq worker (node worker.js)", Resources.Role.BULLMQ, bullmqWorker.pid());

        awaitReady(api, URI.create(apiBase() + "/actuator/health/readiness"));
        for (int i = 0; i < genpipeWorkers.size(); i++) {
            awaitReady(genpipeWorkers.get(i),
                    URI.create("http://127.0.0.1:" + workerPorts.get(i) + "/actuator/health/readiness"));
        }
        try {
            bullmqReady.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the BullMQ worker did not get ready in 30 s:\n" + bullmqWorker.tail());
        }
        log.accept("system ready: API " + apiBase() + ", " + settings.workers() + " GenPipe worker(s), BullMQ worker, "
                + "stand-in " + standIn.baseUrl());
    }

    private Spawned startJvm(String name, Path jar, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaCommand(), CHILD_HEAP));
        if (settings.quick()) {
            // quick mode only shows that the harness works: start fast, spend little CPU on the JIT
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        }
        if (settings.profile()) {
            Path recording = workDir().resolve("jfr/" + name + ".jfr");
            Files.createDirectories(recording.getParent());
            Files.deleteIfExists(recording);
            recordings.put(name, recording);
            command.add("-XX:StartFlightRecording=name=bench,settings=profile,dumponexit=true,filename=" + recording);
        }
        command.addAll(List.of("-jar", jar.toString()));
        Spawned child = Spawned.start(name, command, env, settings.home(), workDir().resolve("logs/" + name + ".log"),
                null);
        children.add(child);
        return child;
    }

    private void awaitReady(Spawned child, URI readiness) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (http) {
            while (System.nanoTime() < deadline) {
                if (!child.isAlive()) {
                    throw new IllegalStateException(child.name() + " exited with code " + child.exitCode()
                            + " before it was ready. Its last lines:\n" + child.tail());
                }
                try {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readiness)
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // starting
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException(child.name() + " not ready after " + READY_TIMEOUT.toSeconds()
                + " s. Its last lines:\n" + child.tail());
    }

    /** Stops the GenPipe workers and the BullMQ worker (before the API-only submit test). */
    void stopWorkers() {
        for (Spawned worker : genpipeWorkers) {
            resources.untrack(worker.name());
            worker.stop(Duration.ofSeconds(20));
        }
        resources.untrack("bullmq worker (node worker.js)");
        bullmqWorker.stop(Duration.ofSeconds(15));
    }

    /** Stops every process and service; safe to call more than once and after a failed start. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Spawned> reversed = new ArrayList<>(children);
        java.util.Collections.reverse(reversed);
        reversed.forEach(child -> {
            try {
                child.stop(Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                log.accept("could not stop " + child.name() + ": " + e);
            }
        });
        quietly(standIn);
        quietly(redis);
        quietly(kafka);
    }

    private void quietly(AutoCloseable service) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (Exception e) {
            log.accept("could not stop " + service.getClass().getSimpleName() + ": " + e);
        }
    }

    String apiBase() {
        return "http://127.0.0.1:" + apiPort;
    }

    GeminiStandIn standIn() {
        return standIn;
    }

    String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    int redisPort() {
        return redis.port();
    }

    String node() {
        return node;
    }

    Path bullmqDir() {
        return settings.home().resolve("bench/bullmq");
    }

    Path workDir() {
        return settings.workDir();
    }

    /** JFR recordings by process name (only with profiling). */
    Map<String, Path> recordings() {
        return Map.copyOf(recordings);
    }

    List<Spawned> genpipeProcesses() {
        List<Spawned> all = new ArrayList<>();
        all.add(api);
        all.addAll(genpipeWorkers);
        return all;
    }

    private java.util.OptionalLong redisPid() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst();
    }

    private Path copy(Path jar) throws IOException {
        return Files.copy(jar, workDir().resolve("jars").resolve(jar.getFileName()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private Path requireFile(String relative, String hint) {
        Path file = settings.home().resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: " + hint);
        }
        return file;
    }

    static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
