package dev.genpipe.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The cold-start phase: train the warm-start caches (a Spring Boot {@code onRefresh} training run of the API and
 * of a worker), then start fresh API and worker JVMs twice: once without a cache (start-up time only) and once with
 * it, offering {@link BenchSettings#COLD_START_FACTOR} × C/L for {@code coldStartS} seconds right after they are
 * ready. The stack keeps running on the JVMs of the second start.
 *
 * @param cache      what the cache is ({@link dev.genpipe.devstack.AotCache#kind()}), or why none was used
 * @param cacheUsed  whether the measured window ran on JVMs started with the cache
 * @param trainingS  seconds the training runs took (both at once), NaN without one
 * @param without    start-up times without a cache
 * @param with       start-up times of the JVMs the window ran on
 * @param run        the window's figures
 */
record ColdStart(String cache, boolean cacheUsed, double trainingS, List<Stack.Startup> without,
                 List<Stack.Startup> with, RunStats run) {

    static ColdStart run(BenchSettings settings, Stack stack, GenPipeRunner runner, String runId,
                         Consumer<String> log) throws Exception {
        log.accept("cold start: training the warm-start caches (" + dev.genpipe.devstack.AotCache.kind()
                + ", onRefresh training runs of the API and a worker) ...");
        String cache = dev.genpipe.devstack.AotCache.kind();
        double trainingS = Double.NaN;
        try {
            trainingS = stack.trainCaches();
        } catch (IllegalStateException e) {
            cache = "none: the training failed (" + e.getMessage().lines().findFirst().orElse("") + ")";
            log.accept("  " + cache);
        }
        boolean useCache = !Double.isNaN(trainingS);
        stack.stopGenPipe();
        log.accept("cold start: fresh API and worker JVMs without a cache (start-up only) ...");
        List<Stack.Startup> without = stack.startGenPipe(false);
        stack.stopGenPipe();
        double rate = BenchSettings.COLD_START_FACTOR * settings.capacityPerSecond();
        log.accept(String.format(Locale.ROOT, "cold start: fresh JVMs %s, then %.0f jobs/s for %d s right after "
                + "readiness ...", useCache ? "with the cache" : "(no cache)", rate, settings.coldStartS()));
        List<Stack.Startup> with = stack.startGenPipe(useCache);
        RunStats run = runner.run(runId, String.format(Locale.ROOT, "cold start, %.1f × C/L",
                BenchSettings.COLD_START_FACTOR), rate, 0, settings.coldStartS());
        return new ColdStart(cache, useCache, trainingS, without, with, run);
    }

    /** Mean start-up seconds of a process kind ({@code api} or {@code worker}) in {@code startups}. */
    static double seconds(List<Stack.Startup> startups, String kind) {
        return startups.stream().filter(s -> s.process().startsWith(kind)).mapToDouble(Stack.Startup::seconds)
                .average().orElse(Double.NaN);
    }
}
