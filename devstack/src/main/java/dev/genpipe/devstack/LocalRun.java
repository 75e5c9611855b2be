package dev.genpipe.devstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The one-command local run: Kafka, Redis and the Gemini stand-in in this JVM (unless the environment
 * points at real ones), then the API and the workers as child JVMs. Ctrl-C stops everything in order:
 * the children (SIGTERM, killed after 15 s), then the stand-in, Redis and Kafka.
 *
 * <p>Environment: {@code KAFKA_BOOTSTRAP_SERVERS}, {@code REDIS_HOST}/{@code REDIS_PORT},
 * {@code GEMINI_API_KEY}, {@code STANDIN_LATENCY_MS} (300), {@code API_PORT} (8080), {@code WORKERS} (1),
 * {@code GENPIPE_HOME} (the repository root, default the current directory).
 *
 * <p>Warm start ({@link AotCache}): each exec jar is extracted once into {@code .local-run/<module>/} (again when the
 * jar changes), and each child JVM uses its AOT cache (JDK 25+) or dynamic CDS archive (JDK 21–24) there; the first
 * run records it, and it is written when that run stops. A missing or stale cache only costs start-up time.
 *
 * <p>{@code java -jar genpipe-devstack-exec.jar standin --port N} runs only the Gemini stand-in;
 * {@code ... kafka --port N} only the Kafka broker ({@link StandaloneKafka}).
 */
public final class LocalRun {

    static final String API_JAR = "api/target/genpipe-api-0.1.0-SNAPSHOT-exec.jar";
    static final String WORKER_JAR = "worker/target/genpipe-worker-0.1.0-SNAPSHOT-exec.jar";
    private static final Duration CHILD_STOP_GRACE = Duration.ofSeconds(15);
    /** A child that records its warm-start cache writes it on the way out: a JVM of its own assembles it. */
    private static final Duration TRAINING_STOP_GRACE = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final String CHILD_HEAP = "-Xmx512m";

    private final LocalRunSettings settings;
    private final Consumer<String> out;
    private final List<ChildProcess> children = new ArrayList<>();
    private LocalKafka kafka;
    private LocalRedis redis;
    private GeminiStandIn standIn;
    private ChildProcess api;
    private boolean training;
    private boolean stopped;

    LocalRun(LocalRunSettings settings, Consumer<String> out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("standin")) { // the stand-in alone, e.g. in docker-compose
            GeminiStandIn.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("kafka")) { // the broker alone, e.g. for the benchmark harness
            StandaloneKafka.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        QuietLogging.apply();
        LocalRun run;
        try {
            run = new LocalRun(LocalRunSettings.fromEnvironment(System.getenv()), System.out::println);
        } catch (IllegalArgumentException e) {
            System.err.println("GenPipe local run: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(run::stop, "genpipe-local-run-stop"));
        try {
            run.start();
        } catch (IOException | RuntimeException e) {
            System.err.println("GenPipe local run failed to start: " + describe(e));
            System.exit(1);
        }
        if (!run.awaitApiReady()) {
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    /** Starts the infrastructure, prints the banner and starts the API and the workers. */
    synchronized void start() throws IOException {
        Path apiJar = extracted(requireJar(API_JAR), "api");
        Path workerJar = extracted(requireJar(WORKER_JAR), "worker");
        String bootstrapServers = settings.kafkaBootstrapServers();
        if (bootstrapServers == null) {
            out.accept("Starting Kafka (embedded KRaft broker) on 127.0.0.1:" + settings.ports().kafka() + " ...");
            kafka = LocalKafka.start(settings.ports().kafka());
            bootstrapServers = kafka.bootstrapServers();
        }
        String redisHost = settings.redisHost();
        int redisPort = settings.redisPort();
        if (redisHost == null) {
            out.accept("Starting Redis on 127.0.0.1:" + settings.ports().redis() + " ...");
            redis = LocalRedis.start(settings.ports().redis(), false);
            redisHost = redis.host();
            redisPort = redis.port();
        }
        Map<String, String> gemini = new HashMap<>();
        if (settings.useStandIn()) {
            standIn = GeminiStandIn.start(settings.ports().standIn())
                    .latency(Duration.ofMillis(settings.standInLatencyMs()));
            gemini.put("GEMINI_BASE_URL", standIn.baseUrl());
            gemini.put("GEMINI_API_KEY", "offline-stand-in");
        } else {
            gemini.put("GEMINI_API_KEY", settings.geminiApiKey());
        }
        Banner.services(settings, bootstrapServers, redisHost + ":" + redisPort,
                standIn == null ? null : standIn.baseUrl()).forEach(out);

        api = startChild("api", apiJar, Map.of(
                "SERVER_PORT", Integer.toString(settings.apiPort()),
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                // local dev mode: no API keys needed (the API warns about it loudly)
                "GENPIPE_OPEN_ACCESS", "true"));
        for (int i = 0; i < settings.workers(); i++) {
            Map<String, String> env = new HashMap<>(gemini);
            env.put("SERVER_PORT", Integer.toString(settings.ports().firstWorker() + i));
            env.put("GENPIPE_WORKER_ID", "worker-" + (i + 1));
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
            env.put("REDIS_HOST", redisHost);
            env.put("REDIS_PORT", Integer.toString(redisPort));
            startChild("worker-" + (i + 1), workerJar, env);
        }
    }

    /** Waits for the API's readiness endpoint and prints how to try it; false if the API died first. */
    boolean awaitApiReady() throws InterruptedException {
        URI readiness = URI.create("http://localhost:" + settings.apiPort() + "/actuator/health/readiness");
        out.accept("Waiting for the API to be ready (" + readiness + ") ...");
        if (new ReadinessProbe().awaitOk(readiness, READY_TIMEOUT, () -> !api.isAlive())) {
            Banner.tryIt(settings.apiPort()).forEach(out);
            return true;
        }
        if (!api.isAlive()) {
            out.accept("The API exited with code " + api.exitCode() + " before it was ready; see the [api] lines above.");
            return false;
        }
        out.accept("The API is not ready after " + READY_TIMEOUT.toSeconds() + " s; still waiting for it to come up "
                + "(see the [api] lines). Ctrl-C stops everything.");
        return true;
    }

    /** Stops the children, then the stand-in, Redis and Kafka. Safe to call more than once. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        out.accept("Stopping GenPipe local run ..." + (training
                ? " (writing the warm-start caches first: this once takes some seconds longer)" : ""));
        long deadline = System.nanoTime() + (training ? TRAINING_STOP_GRACE : CHILD_STOP_GRACE).toNanos();
        children.forEach(ChildProcess::requestStop);
        children.forEach(child -> child.awaitStop(deadline));
        quietly("the Gemini stand-in", standIn);
        quietly("Redis", redis);
        if (kafka != null) {
            QuietLogging.silenceKafka();
            quietly("Kafka", kafka);
        }
        out.accept("stopped");
    }

    private ChildProcess startChild(String name, Path jar, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaCommand(), CHILD_HEAP));
        if (jar.startsWith(runDir())) { // extracted: the cache lives (and is replaced) with the extraction
            Path cache = AotCache.file(jar.getParent(), name);
            training |= !Files.isRegularFile(cache);
            command.addAll(AotCache.useOrTrainAtExit(cache));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ChildProcess child = ChildProcess.start(name, command, env, settings.home(), out);
        children.add(child);
        return child;
    }

    private Path runDir() {
        return settings.home().resolve(".local-run");
    }

    /** The exec jar extracted for a warm start, or the jar itself if it cannot be (it then starts without a cache). */
    private Path extracted(Path execJar, String module) {
        try {
            Path thin = AotCache.extract(javaCommand(), execJar, runDir().resolve(module));
            out.accept("Warm start for " + module + ": " + AotCache.kind() + " in " + thin.getParent());
            return thin;
        } catch (IOException e) {
            out.accept("Warm start for " + module + " unavailable (" + e.getMessage() + "): starting "
                    + execJar.getFileName() + " as it is");
            return execJar;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return execJar;
        }
    }

    private Path requireJar(String relative) {
        Path jar = settings.home().resolve(relative);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing (GENPIPE_HOME=" + settings.home()
                    + "): run ./run-local.sh (it builds first)");
        }
        return jar;
    }

    static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private void quietly(String what, AutoCloseable service) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (Exception e) {
            out.accept("Could not stop " + what + ": " + describe(e));
        }
    }

    private static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            text.append("\n  caused by: ").append(cause);
        }
        return text.toString();
    }
}
