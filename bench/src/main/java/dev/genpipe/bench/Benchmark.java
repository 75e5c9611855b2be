package dev.genpipe.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The GenPipe benchmark: GenPipe against a BullMQ worker on the same Redis and the same Gemini stand-in, with the same
 * concurrency bound C and stand-in latency L, under open-loop load (50 jobs/s, fractions of C/L), with each
 * process's CPU per job (the Kafka broker a process of its own) and GenPipe's Kafka records and bytes per job; each
 * process's idle CPU; a cold start of fresh API and worker JVMs with and without a warm-start cache; then GenPipe
 * alone: the cache-hit path, a presentation, raw submit throughput. Writes a Markdown report and prints it.
 *
 * <pre>
 * java -jar bench/target/genpipe-bench-0.1.0-SNAPSHOT-exec.jar [--quick] [--profile] [--concurrency 64]
 *      [--latency-ms 200] [--workers 1] [--loads 50/s,0.8,1.2] [--prime-s 20] [--idle-s 20] [--warmup-s 5]
 *      [--duration-s 30] [--cold-start-s 60] [--heap 512m] [--out docs/benchmarks.md]
 * </pre>
 * Run from the repository root (or set {@code GENPIPE_HOME}); {@code bin/bench.sh} builds first and runs the full
 * benchmark. Every process it starts is stopped when it ends, fails or is interrupted.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) {
        quietLogging();
        Path home = home();
        BenchSettings settings;
        try {
            settings = parse(args, home);
        } catch (RuntimeException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: bench [--quick] [--profile] [--concurrency N] [--latency-ms N] [--workers N] "
                    + "[--loads 50/s,0.8,1.2] [--prime-s N] [--idle-s N] [--warmup-s N] [--duration-s N] "
                    + "[--cold-start-s N] [--heap 512m] [--out FILE]");
            System.exit(2);
            return;
        }
        AtomicReference<Stack> running = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            Stack stack = running.get();
            if (stack != null) {
                stack.close();
            }
        }, "bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String report = run(settings, line -> System.out.println("[bench] " + line), running);
            System.out.println();
            System.out.println(report);
            System.out.println("[bench] report written to " + settings.reportFile());
            System.exit(0);
        } catch (Exception e) {
            System.err.println("[bench] FAILED: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    static BenchSettings parse(String[] args, Path home) {
        List<String> list = List.of(args);
        BenchSettings settings = list.contains("--quick") ? BenchSettings.quick(home) : BenchSettings.full(home);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                }
                case "--profile" -> settings = settings.with("--profile", "true");
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a value");
                    }
                    settings = settings.with(args[i], args[++i]);
                }
            }
        }
        return settings;
    }

    /**
     * Runs the whole benchmark and writes the report; returns its Markdown. Every process started is stopped before
     * this returns or throws.
     */
    static String run(BenchSettings settings, Consumer<String> out, AtomicReference<Stack> running)
            throws Exception {
        if (!Proc.available()) {
            throw new IllegalStateException("the benchmark reads /proc for CPU and memory: Linux only");
        }
        Files.createDirectories(settings.workDir());
        long began = System.nanoTime();
        Consumer<String> log = line -> out.accept(String.format(Locale.ROOT, "+%5.1fs %s",
                (System.nanoTime() - began) / 1e9, line));
        double before = Proc.machineBusySeconds();
        Thread.sleep(2_000);
        double idleLoad = (Proc.machineBusySeconds() - before) / (2.0 * Runtime.getRuntime().availableProcessors());
        if (idleLoad > 0.10) {
            log.accept(String.format(Locale.ROOT, "WARNING: the machine is %.0f %% busy before the benchmark starts: "
                    + "other processes will disturb the figures", 100 * idleLoad));
        }
        Results results;
        try (Resources resources = new Resources(); Stack stack = new Stack(settings, resources, log)) {
            running.set(stack);
            List<Stack.Startup> startups = stack.start();
            Machine machine = Machine.describe(settings.home(), stack.node(), stack.redisPort(), settings.heap())
                    .with("load before start", String.format(Locale.ROOT, "%.0f %% of the CPU busy (2 s before "
                            + "anything started)", 100 * idleLoad));
            results = measure(settings, stack, resources, machine, startups, log);
            if (settings.profile()) {
                stack.close(); // the JVMs write their recordings on exit
                Map<String, Path> recordings = new java.util.HashMap<>(stack.recordings());
                recordings.putAll(results.dumps()); // the dumps right after the profiled run win
                results = results.withProfiles(Profiles.summarise(recordings, results.profiledFrom(),
                        results.profiledTo()));
            }
        } finally {
            running.set(null);
        }
        String markdown = Report.markdown(results);
        Files.createDirectories(settings.reportFile().toAbsolutePath().getParent());
        Files.writeString(settings.reportFile(), markdown);
        return markdown;
    }

    private static Results measure(BenchSettings settings, Stack stack, Resources resources, Machine machine,
                                   List<Stack.Startup> startups, Consumer<String> log) throws Exception {
        String session = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<RunStats> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Path> dumps = Map.of();
        Map<String, List<String>> histograms = new java.util.TreeMap<>();
        Instant profiledFrom = null;
        Instant profiledTo = null;
        try (TerminalEvents events = TerminalEvents.start(stack.kafkaBootstrapServers(), Duration.ofSeconds(60));
             KafkaCounts kafka = new KafkaCounts(stack.kafkaBootstrapServers());
             GenPipeClient client = new GenPipeClient(URI.create(stack.apiBase()))) {
            GenPipeLoad genpipe = new GenPipeLoad(client, events, log);
            GenPipeRunner runner = new GenPipeRunner(settings, stack, resources, kafka, genpipe);
            BullmqLoad bullmq = new BullmqLoad(stack);
            smoke(stack, genpipe, bullmq, session, log);
            if (settings.primeS() > 0) {
                double rate = 0.5 * settings.capacityPerSecond();
                log.accept(String.format(Locale.ROOT, "priming both systems: %d s each at %.0f jobs/s (not counted) ...",
                        settings.primeS(), rate));
                stack.standIn().latency(Duration.ofMillis(settings.latencyMs()));
                genpipe.run(session + "-prime", "prime", rate, 0, settings.primeS(), settings.drainTimeoutS());
                bullmq.run(session + "-prime", "prime", rate, 0, settings.primeS(), settings.drainTimeoutS());
            }
            Thread.sleep(settings.quick() ? 300 : 2_000);
            log.accept("idle: " + settings.idleS() + " s with no jobs ...");
            IdleCpu idle = IdleCpu.measure(resources, settings.idleS());

            for (int k = 0; k < settings.loads().size(); k++) {
                Load load = settings.loads().get(k);
                double rate = load.rate(settings.capacityPerSecond());
                List<String> order = k % 2 == 0 ? List.of("GenPipe", "BullMQ") : List.of("BullMQ", "GenPipe");
                for (String system : order) {
                    String runId = session + "-" + system.toLowerCase(Locale.ROOT) + "-" + k;
                    log.accept(String.format(Locale.ROOT, "%s at %s: %d s warm-up + %d s measured ...", system,
                            settings.describeLoad(load), settings.warmupS(), settings.durationS()));
                    RunStats stats;
                    if (system.equals("GenPipe")) {
                        restartIfDown(stack, "before GenPipe at " + settings.describeLoad(load), notes, log);
                        Instant from = Instant.now().plusSeconds(settings.warmupS());
                        java.util.concurrent.CompletableFuture<Map<String, Path>> dumped = null;
                        if (settings.profile() && profiledFrom == null) {
                            dumped = dumpAt(stack, from.plusSeconds(settings.durationS()), "run-" + k, histograms,
                                    log);
                        }
                        stats = runner.run(runId, load.label(), rate, settings.warmupS(), settings.durationS());
                        if (profiledFrom == null) {
                            profiledFrom = from;
                            profiledTo = from.plusSeconds(settings.durationS());
                            if (dumped != null) {
                                dumps = dumped.get(180, java.util.concurrent.TimeUnit.SECONDS);
                            }
                        }
                    } else {
                        stack.standIn().reset();
                        stack.standIn().latency(Duration.ofMillis(settings.latencyMs()));
                        Resources.Phase phase = resources.begin();
                        BullmqLoad.Result result = bullmq.run(runId, load.label(), rate, settings.warmupS(),
                                settings.durationS(), settings.drainTimeoutS());
                        List<Resources.Usage> usage = new ArrayList<>(phase.end());
                        usage.add(result.generator());
                        stats = RunStats.of(result.timings(), settings.latencyMs(), stack.standIn().calls(),
                                stack.standIn().peakConcurrency(), usage, phase.machine(), KafkaCounts.Written.NONE);
                    }
                    runs.add(stats);
                    log.accept(String.format(Locale.ROOT, "  %s: %.1f jobs/s achieved of %.1f offered; e2e p50 %.1f "
                                    + "p99 %.1f ms; completed %d, lost %d, failed %d, twice %d; other processes on the machine "
                            + "used %.0f %% of its CPU", system, stats.achieved(), stats.offered(), stats.endToEnd().p50(),
                            stats.endToEnd().p99(), stats.completed(), stats.lost(), stats.failed(), stats.twice(),
                            100 * stats.outsideShare()));
                    Thread.sleep(settings.quick() ? 300 : 2_000); // let the previous run's leftovers settle
                }
            }

            ColdStart coldStart = ColdStart.run(settings, stack, runner, session + "-cold", log);
            log.accept(String.format(Locale.ROOT, "  cold start: submit p99 %.1f ms, overhead p99 %.1f ms; completed "
                    + "%d, lost %d", coldStart.run().submit().p99(), coldStart.run().overhead().p99(),
                    coldStart.run().completed(), coldStart.run().lost()));

            GenPipeOnly only = new GenPipeOnly(client, stack.standIn(), settings, log);
            stack.standIn().reset();
            stack.standIn().latency(Duration.ofMillis(settings.latencyMs()));
            GenPipeOnly.CacheHit cacheHit = null;
            GenPipeOnly.Presentation presentation = null;
            GenPipeOnly.SubmitThroughput submit = null;
            restartIfDown(stack, "before the GenPipe-only figures", notes, log);
            if (stack.apiResponds()) {
                log.accept("GenPipe: cache-hit path (" + settings.cacheHitJobs() + " cached requests, one at a time) ...");
                cacheHit = only.cacheHit(session + "-cache");
            }
            if (stack.apiResponds()) {
                log.accept("GenPipe: presentation of " + settings.presentationSections() + " sections ...");
                presentation = only.presentation(session + "-presentation");
            }
            stack.stopWorkers();
            if (stack.apiResponds()) {
                log.accept("GenPipe: raw submit throughput (" + settings.submitClients() + " clients, "
                        + settings.submitDurationS() + " s, workers stopped) ...");
                submit = only.submitThroughput(session + "-submit", resources);
            }
            if (cacheHit == null || presentation == null || submit == null) {
                notes.add("Some GenPipe-only figures were not measured: the API did not answer its readiness probe.");
            }
            notes.addAll(stack.problems());
            return new Results(settings, machine, runs, idle, coldStart, startups, cacheHit, presentation, submit,
                    List.of(), profiledFrom, profiledTo, List.copyOf(notes), dumps, histograms);
        }
    }

    /**
     * With profiling: dumps the GenPipe JVMs' recordings and heap histograms at {@code at}, the end of the measured
     * window, while the system is under load (a JVM that runs out of memory later in the drain could not write its
     * recording any more).
     */
    private static java.util.concurrent.CompletableFuture<Map<String, Path>> dumpAt(Stack stack, Instant at,
            String tag, Map<String, List<String>> histograms, Consumer<String> log) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()));
                log.accept("  dumping the GenPipe JVMs' recordings and heap histograms ...");
                return stack.dumpDiagnostics(tag, histograms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.<String, Path>of();
            }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    }

    private static void restartIfDown(Stack stack, String when, List<String> notes, Consumer<String> log)
            throws IOException, InterruptedException {
        String restarted;
        try {
            restarted = stack.restartApiIfDown();
        } catch (IllegalStateException e) {
            restarted = "the API did not answer and could not be started again: " + e.getMessage().lines().findFirst()
                    .orElse("");
        }
        if (restarted != null) {
            notes.add(when + ": " + restarted + ".");
            log.accept(when + ": " + restarted);
        }
    }

    /** One job through each system before anything is measured: both pipelines are up and consuming. */
    private static void smoke(Stack stack, GenPipeLoad genpipe, BullmqLoad bullmq, String session,
                              Consumer<String> log) throws Exception {
        log.accept("smoke: a few jobs through each system ...");
        RunTimings g = genpipe.run(session + "-smoke", "smoke", 3, 0, 1, 90);
        if (g.jobs().stream().noneMatch(JobTiming::completed)) {
            throw new IllegalStateException("GenPipe completed none of the smoke jobs (see "
                    + stack.workDir().resolve("logs") + ")");
        }
        BullmqLoad.Result b = bullmq.run(session + "-smoke", "smoke", 3, 0, 1, 60);
        if (b.timings().jobs().stream().noneMatch(JobTiming::completed)) {
            throw new IllegalStateException("BullMQ completed none of the smoke jobs (see "
                    + stack.workDir().resolve("logs") + ")");
        }
    }

    private static Path home() {
        String configured = System.getProperty("genpipe.home", System.getenv("GENPIPE_HOME"));
        Path home = Path.of(configured == null || configured.isBlank() ? "." : configured).toAbsolutePath().normalize();
        if (!Files.isDirectory(home.resolve("bench/bullmq"))) {
            throw new IllegalStateException(home + " is not the GenPipe repository root (no bench/bullmq): run from "
                    + "the root or set GENPIPE_HOME");
        }
        return home;
    }

    static Path homeForTests() {
        return home();
    }

    /** Kafka's clients are chatty: warnings and errors only, and errors only from Kafka. */
    static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            context.getLogger("kafka").setLevel(Level.ERROR);
            context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
            context.getLogger("state.change.logger").setLevel(Level.OFF);
        }
    }

    /** Everything the report shows. */
    record Results(BenchSettings settings, Machine machine, List<RunStats> runs, IdleCpu idle, ColdStart coldStart,
                   List<Stack.Startup> startups, GenPipeOnly.CacheHit cacheHit,
                   GenPipeOnly.Presentation presentation, GenPipeOnly.SubmitThroughput submit,
                   List<Profiles.Profile> profiles, Instant profiledFrom, Instant profiledTo, List<String> notes,
                   Map<String, Path> dumps, Map<String, List<String>> histograms) {

        Results withProfiles(List<Profiles.Profile> found) {
            return new Results(settings, machine, runs, idle, coldStart, startups, cacheHit, presentation, submit,
                    found, profiledFrom, profiledTo, notes, dumps, histograms);
        }
    }

    static void writeQuietly(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
