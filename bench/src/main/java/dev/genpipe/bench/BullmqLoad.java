package dev.genpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code bench/bullmq/load.js} (the open-loop producer and measurer of the BullMQ side) for one run and reads the
 * timings it wrote. The script ends by itself; it is killed if it overstays its bound.
 */
final class BullmqLoad {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Stack stack;

    BullmqLoad(Stack stack) {
        this.stack = stack;
    }

    /** The run's timings and the load generator's own CPU seconds and peak RSS. */
    record Result(RunTimings timings, Resources.Usage generator) {
    }

    Result run(String runId, String load, double rate, int warmupS, int durationS, int drainTimeoutS)
            throws IOException, InterruptedException {
        Path out = stack.workDir().resolve("bullmq-" + runId + ".json");
        Files.deleteIfExists(out);
        String config = JSON.writeValueAsString(Map.of(
                "redisHost", "127.0.0.1", "redisPort", stack.redisPort(), "queue", Stack.BULLMQ_QUEUE,
                "rate", rate, "warmupS", warmupS, "durationS", durationS, "drainTimeoutS", drainTimeoutS,
                "runId", runId, "count", 5, "out", out.toString()));
        Spawned script = Spawned.start("bullmq-load-" + runId, List.of(stack.node(), "load.js", config), Map.of(),
                stack.bullmqDir(), stack.workDir().resolve("logs/bullmq-load-" + runId + ".log"), null);
        try {
            Duration bound = Duration.ofSeconds(warmupS + durationS + drainTimeoutS + 60L);
            if (!script.awaitExit(bound)) {
                throw new IllegalStateException("the BullMQ load generator did not end within " + bound.toSeconds()
                        + " s:\n" + script.tail());
            }
            if (script.exitCode() != 0 || !Files.isRegularFile(out)) {
                throw new IllegalStateException("the BullMQ load generator failed (exit code " + script.exitCode()
                        + "):\n" + script.tail());
            }
        } finally {
            script.stop(Duration.ofSeconds(5));
        }
        JsonNode result = JSON.readTree(out.toFile());
        List<JobTiming> jobs = new ArrayList<>();
        int index = 0;
        for (JsonNode j : result.path("jobs")) {
            JobTiming job = new JobTiming(index++, j.get(0).asDouble());
            job.sentMs = j.get(1).asDouble();
            job.ackMs = j.get(2).asDouble();
            double done = j.get(3).asDouble();
            job.completions = j.get(4).asInt();
            int failures = j.get(5).asInt();
            job.submitError = j.get(6).asInt() == 1 || job.ackMs < 0;
            if (done >= 0) {
                job.doneMs = done;
            } else if (failures > 0) {
                job.failed = true;
                job.doneMs = job.ackMs;
            }
            jobs.add(job);
        }
        RunTimings timings = new RunTimings("BullMQ", load, rate, result.path("windowStartMs").asDouble(),
                result.path("windowEndMs").asDouble(), jobs);
        Resources.Usage generator = new Resources.Usage("bullmq load generator (node load.js)",
                Resources.Role.GENERATOR, result.path("cpuSeconds").asDouble(), result.path("maxRssKb").asLong());
        return new Result(timings, generator);
    }

    static String describe(Result result) {
        return String.format(Locale.ROOT, "%d jobs", result.timings().jobs().size());
    }
}
