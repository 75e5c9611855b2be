package dev.genpipe.bench;

import dev.genpipe.devstack.AotCache;
import dev.genpipe.devstack.FreePorts;
import dev.genpipe.devstack.GeminiStandIn;
import dev.genpipe.devstack.LocalRedis;
import dev.genpipe.devstack.StandaloneKafka;
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
 * The system under test, started as the local run starts it: Kafka (KRaft) as a JVM of its own (devstack's
 * {@code kafka} command, so its CPU is measured apart), redis-server and the Gemini stand-in in this JVM's care, the
 * API and the GenPipe workers as child JVMs from their extracted exec jars, and the BullMQ worker on Node against the
 * same Redis and stand-in. {@link #close()} stops every process it started, whatever state it is in.
 */
final class Stack implements AutoCloseable {

    static final String API_JAR = "api/target/genpipe-api-0.1.0-SNAPSHOT-exec.jar";
    static final String WORKER_JAR = "worker/target/genpipe-worker-0.1.0-SNAPSHOT-exec.jar";
    static final String DEVSTACK_JAR = "devstack/target/genpipe-devstack-0.1.0-SNAPSHOT-exec.jar";
    static final String BULLMQ_QUEUE = "genpipe-bench";
    static final String KAFKA = "kafka broker";
    static final String KAFKA_HEAP = "1g";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(240);
    static final String RESULT_TTL = "5m";

    /** One JVM's start-up: process start → its readiness probe answered 200. */
    record Startup(String process, boolean cache, double seconds) {
    }

    private final BenchSettings settings;
    private final Consumer<String> log;
    private final Resources resources;
    private final List<Spawned> children = new ArrayList<>();
    private final List<Spawned> genpipeWorkers = new ArrayList<>();
    private final List<Integer> workerPorts = new ArrayList<>();
    private final Map<String, Path> recordings = new HashMap<>();
    private Spawned kafka;
    private String kafkaBootstrap;
    private LocalRedis redis;
    private GeminiStandIn standIn;
    private Spawned api;
    private Path apiJar;
    private Path workerJar;
    private Map<String, String> apiEnv;
    private int starts;
    private Spawned bullmqWorker;
    private int apiPort;
    private String node;
    private boolean closed;

    Stack(BenchSettings settings, Resources resources, Consumer<String> log) {
        this.settings = settings;
        this.resources = resources;
        this.log = log;
    }

    /**
     * Starts everything (the API and workers without a warm-start cache) and waits until the API, the workers and the
     * BullMQ worker are ready; returns the API's and workers' start-up times.
     */
    synchronized List<Startup> start() throws IOException, InterruptedException {
        // extracted copies: a rebuild while the benchmark runs must not pull the jars from under the running JVMs
        String hint = "build first: mvn -B -DskipTests install (bin/bench.sh does)";
        apiJar = AotCache.extract(javaCommand(), requireFile(API_JAR, hint), workDir().resolve("jars/api"));
        workerJar = AotCache.extract(javaCommand(), requireFile(WORKER_JAR, hint), workDir().resolve("jars/worker"));
        Path devstackJar = copy(requireFile(DEVSTACK_JAR, hint));
        node = NodeDeps.ensureInstalled(bullmqDir(), log);
        Files.createDirectories(workDir().resolve("logs"));
        resources.track("harness JVM (stand-in, GenPipe load generator)", Resources.Role.SHARED,
                ProcessHandle.current().pid());

        log.accept("starting Kafka (KRaft, its own JVM), redis-server and the Gemini stand-in ...");
        startKafka(devstackJar);
        redis = LocalRedis.start();
        redisPid().ifPresent(pid -> resources.track("redis-server", Resources.Role.SHARED, pid));
        standIn = GeminiStandIn.start().latency(Duration.ofMillis(settings.latencyMs()));

        apiPort = FreePorts.next();
        apiEnv = new HashMap<>(Map.of(
                "SERVER_PORT", Integer.toString(apiPort),
                "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap,
                "GENPIPE_OPEN_ACCESS", "true",
                "GENPIPE_CLIENT_SUBMITS_PER_MINUTE", "1000000",
                "GENPIPE_CLIENT_MAX_STREAMS", "100000",
                "GENPIPE_API_INSTANCE_ID", "bench-api",
                // final job states stay readable 5 min instead of 7 days: the API keeps them in memory, and BullMQ's
                // side keeps none (removeOnComplete); every backlog of a run drains well within it
                "GENPIPE_API_RESULT_TTL", RESULT_TTL));
        for (int i = 0; i < settings.workers(); i++) {
            workerPorts.add(FreePorts.next());
        }
        List<Startup> startups = startGenPipe(false);

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
        try {
            bullmqReady.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the BullMQ worker did not get ready in 30 s:\n" + bullmqWorker.tail());
        }
        log.accept("system ready: API " + apiBase() + ", " + settings.workers() + " GenPipe worker(s), BullMQ worker, "
                + "stand-in " + standIn.baseUrl());
        return startups;
    }

    static final List<String> EXPERIMENT_FLAGS = System.getenv("GENPIPE_BENCH_JVM_FLAGS") == null
            || System.getenv("GENPIPE_BENCH_JVM_FLAGS").isBlank() ? List.of()
            : List.of(System.getenv("GENPIPE_BENCH_JVM_FLAGS").trim().split("\\s+"));

    private void startKafka(Path devstackJar) throws IOException, InterruptedException {
        CompletableFuture<String> ready = new CompletableFuture<>();
        int port = FreePorts.next();
        List<String> kafkaCommand = new ArrayList<>(List.of(javaCommand(), "-Xmx" + KAFKA_HEAP, "-Xms" + KAFKA_HEAP));
        kafkaCommand.addAll(EXPERIMENT_FLAGS);
        kafkaCommand.addAll(List.of("-jar", devstackJar.toString(), "kafka", "--port", Integer.toString(port),
                "--watch-stdin"));
        kafka = Spawned.start(KAFKA, kafkaCommand, Map.of(),
                workDir(), workDir().resolve("logs/kafka.log"), line -> {
                    if (line.startsWith(StandaloneKafka.READY)) {
                        ready.complete(line.substring(StandaloneKafka.READY.length()).strip());
                    }
                });
        try {
            kafkaBootstrap = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            kafka.stop(Duration.ofSeconds(10));
            throw new IllegalStateException("the Kafka broker did not get ready:\n" + kafka.tail());
        }
        resources.track(KAFKA, Resources.Role.GENPIPE, kafka.pid());
    }

    /**
     * Starts the API and the workers, with the warm-start cache the training wrote or without one, and waits until
     * each is ready; returns their start-up times.
     */
    synchronized List<Startup> startGenPipe(boolean cache) throws IOException, InterruptedException {
        starts++;
        long began = System.nanoTime();
        api = startJvm("api", apiJar, apiEnv, "api-" + starts, cache ? AotCache.using(cacheFile("api")) : List.of());
        resources.track("api", Resources.Role.GENPIPE, api.pid());
        List<Spawned> workers = new ArrayList<>();
        for (int i = 0; i < settings.workers(); i++) {
            String name = "worker-" + (i + 1);
            Spawned worker = startJvm(name, workerJar, workerEnv(i, "bench-" + name, workerPorts.get(i)),
                    name + "-" + starts, cache ? AotCache.using(cacheFile("worker")) : List.of());
            workers.add(worker);
            resources.track(name, Resources.Role.GENPIPE, worker.pid());
        }
        genpipeWorkers.clear();
        genpipeWorkers.addAll(workers);
        List<Startup> startups = new ArrayList<>();
        startups.add(new Startup("api", cache, awaitReady(api, readiness(apiPort), began)));
        for (int i = 0; i < workers.size(); i++) {
            startups.add(new Startup(workers.get(i).name(), cache,
                    awaitReady(workers.get(i), readiness(workerPorts.get(i)), began)));
        }
        return startups;
    }

    /** Stops the API and the GenPipe workers (SIGTERM, then kill), and stops tracking them. */
    synchronized void stopGenPipe() {
        List<Spawned> jvms = new ArrayList<>(genpipeWorkers);
        jvms.add(api);
        jvms.forEach(jvm -> resources.untrack(jvm.name()));
        stopAll(jvms);
        genpipeWorkers.clear();
    }

    /**
     * Training runs of the API and of a worker (Spring Boot's {@code -Dspring.context.exit=onRefresh}: start, create
     * the beans, exit), at the same time, each writing its warm-start cache; returns how long they took, in seconds.
     */
    double trainCaches() throws IOException, InterruptedException {
        long began = System.nanoTime();
        Files.createDirectories(cacheFile("api").getParent());
        Files.deleteIfExists(cacheFile("api"));
        Files.deleteIfExists(cacheFile("worker"));
        Map<String, String> env = new HashMap<>(apiEnv);
        env.put("SERVER_PORT", Integer.toString(FreePorts.next()));
        env.put("GENPIPE_API_INSTANCE_ID", "bench-api-training");
        List<Spawned> training = List.of(
                startJvm("api-training", apiJar, env, "api-training", AotCache.training(cacheFile("api"))),
                startJvm("worker-training", workerJar, workerEnv(0, "bench-worker-training", FreePorts.next()),
                        "worker-training", AotCache.training(cacheFile("worker"))));
        for (Spawned run : training) {
            boolean ended = run.awaitExit(TRAINING_TIMEOUT);
            run.stop(Duration.ofSeconds(5)); // marks it as meant to end (see problems())
            if (!ended || run.exitCode() != 0) {
                throw new IllegalStateException(run.name() + " did not end well within " + TRAINING_TIMEOUT.toSeconds()
                        + " s:\n" + run.tail());
            }
        }
        for (String name : List.of("api", "worker")) {
            if (!Files.isRegularFile(cacheFile(name))) {
                throw new IllegalStateException("the training run wrote no cache " + cacheFile(name));
            }
        }
        return (System.nanoTime() - began) / 1e9;
    }

    Path cacheFile(String module) {
        return AotCache.file(workDir().resolve("aot"), module);
    }

    private Map<String, String> workerEnv(int index, String id, int port) {
        return new HashMap<>(Map.of(
                "SERVER_PORT", Integer.toString(port),
                "GENPIPE_WORKER_ID", id,
                "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap,
                "REDIS_HOST", redis.host(),
                "REDIS_PORT", Integer.toString(redis.port()),
                "GEMINI_BASE_URL", standIn.baseUrl(),
                "GEMINI_API_KEY", "bench",
                "GENPIPE_MAX_IN_FLIGHT", Integer.toString(settings.maxInFlightOf(index))));
    }

    private static URI readiness(int port) {
        return URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
    }

    private Spawned startJvm(String name, Path jar, Map<String, String> env, String file, List<String> warmStart)
            throws IOException {
        // a JVM out of memory ends (as an orchestrator would then restart it) instead of lingering half-alive
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx" + settings.heap(),
                "-XX:+ExitOnOutOfMemoryError"));
        if (settings.quick()) {
            // quick mode only shows that the harness works: start fast, spend little CPU on the JIT
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        }
        command.addAll(EXPERIMENT_FLAGS);
        command.addAll(warmStart);
        if (settings.profile() && !name.endsWith("-training")) {
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

    /** Waits for the readiness probe; returns the seconds since {@code began}. */
    private double awaitReady(Spawned child, URI readiness, long began) throws InterruptedException {
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
                        return (System.nanoTime() - began) / 1e9;
                    }
                } catch (IOException notYet) {
                    // starting
                }
                Thread.sleep(100);
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

    /** The broker last: the others' shutdown still talks to it. */
    private void stopEverything() {
        stopAll(children.stream().filter(c -> c != kafka).toList());
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(20));
        }
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
        stopEverything();
        quietly(standIn);
        quietly(redis);
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
        starts++;
        api = startJvm(name, apiJar, apiEnv, name + "-" + starts, List.of());
        resources.track(name, Resources.Role.GENPIPE, api.pid());
        awaitReady(api, readiness(apiPort), System.nanoTime());
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
                lines.filter(l -> l.contains("OutOfMemoryError") && !l.contains("ExitOnOutOfMemoryError"))
                        .findFirst().ifPresent(l ->
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
        return kafkaBootstrap;
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
