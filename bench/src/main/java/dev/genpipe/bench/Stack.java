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
    static final String RESULT_TTL = "5m";

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
    private Path apiJar;
    private Map<String, String> apiEnv;
    private int apiStarts;
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
        this.apiJar = apiJar;
        apiEnv = new HashMap<>(Map.of(
                "SERVER_PORT", Integer.toString(apiPort),
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "GENPIPE_OPEN_ACCESS", "true",
                "GENPIPE_CLIENT_SUBMITS_PER_MINUTE", "1000000",
                "GENPIPE_CLIENT_MAX_STREAMS", "100000",
                "GENPIPE_API_INSTANCE_ID", "bench-api",
                // final job states stay readable 5 min instead of 7 days: the API keeps them in memory, and BullMQ's
                // side keeps none (removeOnComplete); every backlog of a run drains well within it
                "GENPIPE_API_RESULT_TTL", RESULT_TTL));
        api = startJvm("api", apiJar, apiEnv);
        apiStarts = 1;
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
        return startJvm(name, jar, env, name);
    }

    private Spawned startJvm(String name, Path jar, Map<String, String> env, String file) throws IOException {
        // a JVM out of memory ends (as an orchestrator would then restart it) instead of lingering half-alive
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx" + settings.heap(),
                "-XX:+ExitOnOutOfMemoryError"));
        if (settings.quick()) {
            // quick mode only shows that the harness works: start fast, spend little CPU on the JIT
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        }
        if (settings.profile()) {
            Path recording = workDir().resolve("jfr/" + file + ".jfr");
            Files.createDirectories(recording.getParent());
            Files.deleteIfExists(recording);
            recordings.put(name, recording);
            command.add("-XX:StartFlightRecording=name=bench,settings=profile,dumponexit=true,filename=" + recording);
        }
        command.addAll(List.of("-jar", jar.toString()));
        Spawned child = Spawned.start(name, command, env, settings.home(), workDir().resolve("logs/" + file + ".log"),
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
        List<Spawned> workers = new ArrayList<>(genpipeWorkers);
        workers.add(bullmqWorker);
        workers.forEach(worker -> resources.untrack(worker.name()));
        resources.untrack("bullmq worker (node worker.js)");
        stopAll(workers);
    }

    /** SIGTERM to all at once, then waits for each (killing what overstays its grace period). */
    private void stopAll(List<Spawned> processes) {
        List<Thread> stoppers = new ArrayList<>();
        for (Spawned process : processes) {
            stoppers.add(Thread.ofVirtual().start(() -> {
                try {
                    process.stop(Duration.ofSeconds(20));
                } catch (RuntimeException e) {
                    log.accept("could not stop " + process.name() + ": " + e);
                }
            }));
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join(Duration.ofSeconds(40));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                processes.forEach(p -> p.stop(Duration.ZERO));
                return;
            }
        }
    }

    /** Stops every process and service; safe to call more than once and after a failed start. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAll(children);
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

    /**
     * Starts the API again if it has exited or stopped answering (it rebuilds its state from Kafka); returns what
     * happened, or null if it was fine.
     */
    synchronized String restartApiIfDown() throws IOException, InterruptedException {
        if (apiResponds()) {
            return null;
        }
        String why = api.isAlive() ? "stopped answering its readiness probe" : "exited with code " + api.exitCode();
        String name = "api";
        resources.untrack(name);
        api.stop(Duration.ofSeconds(10));
        apiStarts++;
        api = startJvm(name, apiJar, apiEnv, name + "-" + apiStarts);
        resources.track(name, Resources.Role.GENPIPE, api.pid());
        awaitReady(api, URI.create(apiBase() + "/actuator/health/readiness"));
        return "the API " + why + " and was started again (its state rebuilt from Kafka)";
    }

    /** Whether the API answers its readiness probe within a few seconds. */
    boolean apiResponds() {
        if (api == null || !api.isAlive()) {
            return false;
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            return http.send(HttpRequest.newBuilder(URI.create(apiBase() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Trouble the child processes showed: an exit nobody asked for, an OutOfMemoryError in their output. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Spawned child : children) {
            if (!child.isAlive() && !child.stopping()) {
                problems.add(child.name() + " exited by itself with code " + child.exitCode() + " (log: "
                        + child.logFile().getFileName() + ")");
            }
            try (java.util.stream.Stream<String> lines = Files.lines(child.logFile())) {
                lines.filter(l -> l.contains("OutOfMemoryError")).findFirst().ifPresent(l ->
                        problems.add(child.name() + " (" + child.logFile().getFileName() + ") ran out of memory (-Xmx"
                                + settings.heap() + "): `"
                                + (l.length() > 140 ? l.substring(0, 140) + "…" : l).replace("|", "\\|") + "`"));
            } catch (IOException | java.io.UncheckedIOException e) {
                // no log
            }
        }
        return problems;
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

    /**
     * With profiling: dumps each GenPipe JVM's recording so far (a JVM that later runs out of memory cannot write it at
     * exit) and its heap histogram (live objects, after a full GC). Returns the recordings by process name and writes
     * the histograms beside them; the top rows by process name go into {@code histograms}.
     */
    Map<String, Path> dumpDiagnostics(String tag, Map<String, List<String>> histograms) throws InterruptedException {
        Map<String, Path> dumps = new HashMap<>();
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (Spawned jvm : genpipeProcesses()) {
            if (jvm == null || !jvm.isAlive()) {
                continue;
            }
            Path dump = workDir().resolve("jfr/" + jvm.name() + "-" + tag + ".jfr");
            String pid = Long.toString(jvm.pid());
            if (command(List.of(jcmd, pid, "JFR.dump", "name=bench", "filename=" + dump)) != null
                    && Files.isRegularFile(dump)) {
                dumps.put(jvm.name(), dump);
            }
            String histogram = command(List.of(jcmd, pid, "GC.class_histogram"));
            if (histogram != null) {
                try {
                    Files.writeString(workDir().resolve("jfr/" + jvm.name() + "-" + tag + "-histogram.txt"), histogram);
                } catch (IOException ignored) {
                    // the top rows below are what the report uses
                }
                histograms.put(jvm.name(), histogram.lines().filter(l -> l.matches("\\s*\\d+:.*")).limit(8)
                        .map(String::strip).toList());
            }
        }
        return dumps;
    }

    private static String command(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? new String(out.join(), java.nio.charset.StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
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
