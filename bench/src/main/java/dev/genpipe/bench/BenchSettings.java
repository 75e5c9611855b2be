package dev.genpipe.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What one benchmark run does. {@link #full(Path)} is what {@code bin/bench.sh} runs; {@link #quick(Path)} is the
 * seconds-long variant the test suite runs so the harness cannot rot. Every figure in the report states the settings
 * that produced it.
 *
 * @param quick                whether this is the quick mode (small numbers, report under {@code bench/target/})
 * @param home                 the repository root (holds {@code api/target}, {@code worker/target}, {@code bench/bullmq})
 * @param reportFile           where the Markdown report is written
 * @param workDir              logs, result files and recordings of this run
 * @param concurrency          C: the concurrency bound of both systems
 * @param latencyMs            L: the stand-in's latency per Gemini call
 * @param workers              GenPipe worker processes; C is split over them
 * @param loads                offered loads (multiples of C/L or absolute rates), in order
 * @param primeS               seconds of load at half of C/L on each system before the first run (JIT, pools,
 *                             connections; not counted)
 * @param warmupS              seconds of load before the measured window (not counted)
 * @param durationS            seconds of the measured window
 * @param idleS                seconds with no jobs after priming, for each process's idle CPU
 * @param coldStartS           seconds of {@link #COLD_START_FACTOR} × C/L offered right after fresh API and worker
 *                             JVMs are ready
 * @param drainTimeoutS        longest wait for the last jobs after the arrivals end; jobs not done by then are lost
 * @param cacheHitJobs         cached requests timed one after the other (GenPipe only)
 * @param presentationSections sections of the timed presentation
 * @param presentationRuns     presentations timed one after the other
 * @param submitClients        concurrent clients of the raw submit throughput test
 * @param submitDurationS      seconds of the raw submit throughput test
 * @param profile              record the API and worker JVMs with JFR and summarise where their CPU time goes
 * @param heap                 maximum heap of the API and worker JVMs ({@code -Xmx}; the local run gives 512m)
 */
record BenchSettings(boolean quick, Path home, Path reportFile, Path workDir, int concurrency, int latencyMs,
                     int workers, List<Load> loads, int primeS, int idleS, int warmupS, int durationS,
                     int coldStartS, int drainTimeoutS,
                     int cacheHitJobs, int presentationSections, int presentationRuns, int submitClients,
                     int submitDurationS, boolean profile, String heap) {

    /** The cold-start phase's load, as a multiple of C/L. */
    static final double COLD_START_FACTOR = 0.3;

    BenchSettings {
        loads = List.copyOf(loads);
        require(concurrency >= 1, "concurrency must be at least 1");
        require(latencyMs >= 1, "latency must be at least 1 ms");
        require(workers >= 1 && workers <= concurrency, "workers must be between 1 and the concurrency");
        require(!loads.isEmpty(), "at least one load");
        require(idleS >= 1 && idleS <= 300 && coldStartS >= 1 && coldStartS <= 600,
                "idle must be 1..300 s, cold start 1..600 s");
        require(primeS >= 0 && primeS <= 300, "prime must be 0..300 s");
        require(warmupS >= 0 && durationS >= 1 && durationS <= 600, "duration must be 1..600 s, warm-up >= 0");
        require(drainTimeoutS >= 1 && drainTimeoutS <= 600, "drain timeout must be 1..600 s");
        require(cacheHitJobs >= 1 && presentationRuns >= 0 && presentationSections >= 1 && presentationSections <= 12,
                "cache-hit jobs >= 1, presentation runs >= 0, sections 1..12");
        require(heap.matches("\\d+[mMgG]"), "heap must look like 512m or 2g");
        require(submitClients >= 1 && submitClients <= 2000 && submitDurationS >= 1 && submitDurationS <= 120,
                "submit clients 1..2000, submit duration 1..120 s");
    }

    /** The documented full run: C=64, L=200 ms, 30 s per phase, loads 50 jobs/s, 0.8 and 1.2 × C/L. */
    static BenchSettings full(Path home) {
        return new BenchSettings(false, home, home.resolve("docs/benchmarks.md"), home.resolve("bench/target/bench-run"),
                64, 200, 1, DEFAULT_LOADS, 20, 20, 5, 30, 60, 60, 200, 8, 3, 64, 15, false, "512m");
    }

    /** Seconds and small numbers, for the test suite: every phase of the full run, each a second or a few. */
    static BenchSettings quick(Path home) {
        return new BenchSettings(true, home, home.resolve("bench/target/benchmarks-quick.md"),
                home.resolve("bench/target/bench-quick"), 4, 200, 1, DEFAULT_LOADS, 0, 2, 0, 1, 3, 30, 5, 8, 1, 4,
                1, false, "512m");
    }

    private static final List<Load> DEFAULT_LOADS = List.of(new Load(50, true), Load.factor(0.8), Load.factor(1.2));

    /** The limit of both systems, C/L jobs per second. */
    double capacityPerSecond() {
        return concurrency * 1000.0 / latencyMs;
    }

    /** {@code GENPIPE_MAX_IN_FLIGHT} of worker {@code index} (0-based): C split as evenly as possible. */
    int maxInFlightOf(int index) {
        return concurrency / workers + (index < concurrency % workers ? 1 : 0);
    }

    /** Applies {@code --name value} overrides (see {@link Benchmark} for the list). */
    BenchSettings with(String name, String value) {
        return switch (name) {
            case "--concurrency", "-C" -> copy(Integer.parseInt(value), latencyMs, workers, loads, warmupS,
                    durationS, profile, reportFile);
            case "--latency-ms", "-L" -> copy(concurrency, Integer.parseInt(value), workers, loads, warmupS,
                    durationS, profile, reportFile);
            case "--workers" -> copy(concurrency, latencyMs, Integer.parseInt(value), loads, warmupS, durationS,
                    profile, reportFile);
            case "--loads" -> copy(concurrency, latencyMs, workers,
                    java.util.Arrays.stream(value.split(",")).map(Load::parse).toList(),
                    warmupS, durationS, profile, reportFile);
            case "--prime-s" -> new BenchSettings(quick, home, reportFile, workDir, concurrency, latencyMs, workers,
                    loads, Integer.parseInt(value), idleS, warmupS, durationS, coldStartS, drainTimeoutS, cacheHitJobs,
                    presentationSections, presentationRuns, submitClients, submitDurationS, profile, heap);
            case "--idle-s" -> new BenchSettings(quick, home, reportFile, workDir, concurrency, latencyMs, workers,
                    loads, primeS, Integer.parseInt(value), warmupS, durationS, coldStartS, drainTimeoutS,
                    cacheHitJobs, presentationSections, presentationRuns, submitClients, submitDurationS, profile,
                    heap);
            case "--cold-start-s" -> new BenchSettings(quick, home, reportFile, workDir, concurrency, latencyMs,
                    workers, loads, primeS, idleS, warmupS, durationS, Integer.parseInt(value), drainTimeoutS,
                    cacheHitJobs, presentationSections, presentationRuns, submitClients, submitDurationS, profile,
                    heap);
            case "--heap" -> new BenchSettings(quick, home, reportFile, workDir, concurrency, latencyMs, workers,
                    loads, primeS, idleS, warmupS, durationS, coldStartS, drainTimeoutS, cacheHitJobs,
                    presentationSections, presentationRuns, submitClients, submitDurationS, profile, value);
            case "--warmup-s" -> copy(concurrency, latencyMs, workers, loads, Integer.parseInt(value), durationS,
                    profile, reportFile);
            case "--duration-s" -> copy(concurrency, latencyMs, workers, loads, warmupS, Integer.parseInt(value),
                    profile, reportFile);
            case "--out" -> copy(concurrency, latencyMs, workers, loads, warmupS, durationS, profile,
                    Path.of(value).toAbsolutePath());
            case "--profile" -> copy(concurrency, latencyMs, workers, loads, warmupS, durationS,
                    Boolean.parseBoolean(value), reportFile);
            default -> throw new IllegalArgumentException("unknown option " + name);
        };
    }

    private BenchSettings copy(int c, int l, int w, List<Load> offered, int warmup, int duration, boolean prof,
                               Path report) {
        return new BenchSettings(quick, home, report, workDir, c, l, w, offered, primeS, idleS, warmup, duration,
                coldStartS, drainTimeoutS, cacheHitJobs, presentationSections, presentationRuns, submitClients,
                submitDurationS, prof, heap);
    }

    String describeLoad(Load load) {
        return load.absolute() ? load.label() : String.format(Locale.ROOT, "%s = %.0f jobs/s", load.label(),
                load.rate(capacityPerSecond()));
    }

    private static void require(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }
}
