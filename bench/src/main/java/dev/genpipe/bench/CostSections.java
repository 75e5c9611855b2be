package dev.genpipe.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report's cost sections: CPU per job of every process side by side, GenPipe's Kafka records and bytes per job,
 * idle CPU, and the cold start with and without the warm-start cache.
 */
final class CostSections {

    private CostSections() {
    }

    static void append(StringBuilder md, Benchmark.Results r) {
        cpuPerJob(md, r);
        kafka(md, r);
        idle(md, r);
        coldStart(md, r);
    }

    private static void cpuPerJob(StringBuilder md, Benchmark.Results r) {
        md.append("\n## CPU per job (ms), per process, side by side\n\n");
        md.append("CPU time (user + system, `/proc/<pid>/stat`) of each process over the whole run of one system "
                + "(warm-up and drain included) ÷ the jobs completed in that run. The Kafka broker is a JVM of its "
                + "own and serves only GenPipe. redis-server is one process shared by both systems: its column is "
                + "what it used during that system's run. BullMQ's load generator and the harness JVM (the stand-in "
                + "for both, GenPipe's load generator) are not part of either system.\n\n");
        md.append("| load | GenPipe: API | GenPipe: worker(s) | GenPipe: Kafka broker | **GenPipe: all its processes "
                + "(API + workers + broker)** | redis-server in GenPipe's run | GenPipe + redis-server | BullMQ: "
                + "worker | redis-server in BullMQ's run (shared) | **BullMQ: worker + redis-server** |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (Load load : r.settings().loads()) {
            Optional<RunStats> g = Report.find(r.runs(), "GenPipe", load.label());
            Optional<RunStats> b = Report.find(r.runs(), "BullMQ", load.label());
            md.append("| ").append(load.label()).append(" | ")
                    .append(g.map(x -> ms(x, "api")).orElse("–")).append(" | ")
                    .append(g.map(x -> ms(x, "worker-")).orElse("–")).append(" | ")
                    .append(g.map(x -> ms(x, Stack.KAFKA)).orElse("–")).append(" | **")
                    .append(g.map(x -> Report.num(x.cpuMsPerJob(Targets.genpipeCpuSeconds(x)), 2)).orElse("–"))
                    .append("** | ").append(g.map(x -> ms(x, "redis-server")).orElse("–")).append(" | ")
                    .append(g.map(x -> Report.num(x.cpuMsPerJob(Targets.genpipeCpuSeconds(x)
                            + x.cpuSeconds("redis-server")), 2)).orElse("–")).append(" | ")
                    .append(b.map(x -> ms(x, "bullmq worker")).orElse("–")).append(" | ")
                    .append(b.map(x -> ms(x, "redis-server")).orElse("–")).append(" | **")
                    .append(b.map(x -> ms(x, "bullmq worker", "redis-server")).orElse("–")).append("** |\n");
        }
    }

    private static String ms(RunStats run, String... processes) {
        return Report.num(run.cpuMsPerJob(run.cpuSeconds(processes)), 2);
    }

    private static void kafka(StringBuilder md, Benchmark.Results r) {
        md.append("\n## GenPipe: Kafka records and bytes per job\n\n");
        md.append("From the broker: the end offsets of every partition of every non-internal topic (Admin "
                + "`listOffsets`) and the size of their logs (`describeLogDirs`), before and after each GenPipe run, "
                + "÷ the jobs completed in the run. `__consumer_offsets` (offset commits of the workers, the API "
                + "and any other group) is counted apart. Bytes are log bytes on the broker: record batches with "
                + "their headers, as written (no compression configured).\n\n");
        md.append("| run | jobs completed | records per job | by topic (records per job) | bytes per job | "
                + "`__consumer_offsets` records per job |\n|---|---|---|---|---|---|\n");
        List<RunStats> runs = new java.util.ArrayList<>(r.runs().stream().filter(x -> x.system().equals("GenPipe"))
                .toList());
        if (r.coldStart() != null) {
            runs.add(r.coldStart().run());
        }
        for (RunStats run : runs) {
            KafkaCounts.Written w = run.kafka();
            StringBuilder topics = new StringBuilder();
            for (Map.Entry<String, Long> e : w.byTopic().entrySet()) {
                if (e.getValue() > 0) {
                    topics.append(topics.isEmpty() ? "" : ", ").append('`').append(e.getKey()).append("` ")
                            .append(Report.num(run.perJob(e.getValue()), 2));
                }
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |\n", run.load(),
                    run.completedInRun(), Report.num(run.perJob(w.records()), 2),
                    w.present() ? topics.toString() : "not counted", Report.num(run.perJob(w.bytes()), 0),
                    Report.num(run.perJob(w.offsetCommits()), 2)));
        }
    }

    private static void idle(StringBuilder md, Benchmark.Results r) {
        IdleCpu idle = r.idle();
        md.append("\n## Idle CPU\n\n");
        if (idle == null) {
            md.append("Not measured.\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "Each process's CPU over %.0f s with no jobs at all, after priming, "
                + "as a share of one core.\n\n", idle.seconds()));
        md.append("| process | serves | CPU s | % of one core |\n|---|---|---|---|\n");
        for (Resources.Usage use : idle.usage()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s %% |\n", use.name(), Report.serves(use.role()),
                    use.cpuSeconds(), Report.num(idle.percentOfCore(use), 2)));
        }
        md.append(String.format(Locale.ROOT, "| **all GenPipe processes (API, workers, broker)** | GenPipe | | "
                + "**%s %%** |\n", Report.num(idle.genpipePercent(), 2)));
    }

    private static void coldStart(StringBuilder md, Benchmark.Results r) {
        ColdStart c = r.coldStart();
        md.append("\n## Cold start and warm start\n\n");
        if (c == null) {
            md.append("Not measured.\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "After the load runs: training runs of the API and a worker (Spring "
                + "Boot's `-Dspring.context.exit=onRefresh`: start, create the beans, exit, writing the cache; both "
                + "at once), then fresh API and worker JVMs twice (the broker, Redis and the stand-in keep running; "
                + "the API rebuilds its state from Kafka): once without a cache, measuring start-up only, and once "
                + "%s, offering %.1f × C/L = %.0f jobs/s for %d s from the moment both are ready. Start-up = process "
                + "start → readiness probe `200`, API and worker starting at the same time. The load runs above "
                + "ran on JVMs started without a cache. The JVMs run from Boot's extracted layout "
                + "(`-Djarmode=tools extract`: a thin jar and `lib/`), which the JVM can cache.\n\n",
                c.cacheUsed() ? "with the cache" : "again without one (no cache could be trained)",
                BenchSettings.COLD_START_FACTOR, c.run().offered(), r.settings().coldStartS()));
        md.append("| figure | result |\n|---|---|\n");
        md.append("| warm-start cache of the measured window | ").append(c.cacheUsed() ? "**used**: " : "**not used**: ")
                .append(Report.escape(c.cache())).append(" |\n");
        md.append("| training runs (API and worker at once) | ").append(Report.num(c.trainingS(), 1)).append(" s |\n");
        for (String kind : List.of("api", "worker")) {
            md.append(String.format(Locale.ROOT, "| start-up of the %s (s): main start, no cache / restart, no "
                            + "cache / restart, %s | %s / %s / %s |\n", kind, c.cacheUsed() ? "with the cache"
                            : "no cache", Report.num(ColdStart.seconds(r.startups(), kind), 2),
                    Report.num(ColdStart.seconds(c.without(), kind), 2), Report.num(ColdStart.seconds(c.with(), kind),
                            2)));
        }
        RunStats run = c.run();
        md.append(String.format(Locale.ROOT, "| first %d s after readiness: submit ms (p50 / p95 / p99 / max) | %s |\n"
                        + "| first %d s after readiness: overhead ms (p50 / p95 / p99 / max) | %s |\n"
                        + "| first %d s after readiness: jobs | %d arrived, %d completed, %d lost, %d failed, %d submit "
                        + "errors, %d completed twice; %.1f of %.1f jobs/s achieved |\n",
                r.settings().coldStartS(), Report.pct(run.submit()), r.settings().coldStartS(),
                Report.pct(run.overhead()), r.settings().coldStartS(), run.arrived(), run.completed(), run.lost(),
                run.failed(), run.submitErrors(), run.twice(), run.achieved(), run.offered()));
    }
}
