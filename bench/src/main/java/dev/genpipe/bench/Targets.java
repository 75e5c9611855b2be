package dev.genpipe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The benchmark issue's targets, each judged from this run: met or not, and by how much it was missed. */
final class Targets {

    /** A target with what was measured; {@code met} is null when it cannot be judged (no such run). */
    record Target(String target, String measured, Boolean met, String missedBy) {

        static Target notMeasured(String target, String why) {
            return new Target(target, why, null, "");
        }
    }

    static final Load AT_50 = new Load(50, true);
    static final Load AT_08 = Load.factor(0.8);

    private Targets() {
    }

    static List<Target> of(Benchmark.Results r) {
        List<Target> targets = new ArrayList<>();
        Optional<RunStats> g08 = Report.find(r.runs(), "GenPipe", AT_08.label());
        Optional<RunStats> b08 = Report.find(r.runs(), "BullMQ", AT_08.label());
        Optional<RunStats> g50 = Report.find(r.runs(), "GenPipe", AT_50.label());
        Optional<RunStats> b50 = Report.find(r.runs(), "BullMQ", AT_50.label());

        String completes = "at 0.8 × C/L, ≥ 95 % of the offered load completed";
        targets.add(g08.map(g -> {
            double pct = 100 * g.completionRatio();
            return new Target(completes, String.format(Locale.ROOT, "%.1f %% (%.1f of %.1f jobs/s)", pct,
                    g.achieved(), g.offered()), pct >= 95, pct >= 95 ? "" : String.format(Locale.ROOT,
                    "%.1f percentage points", 95 - pct));
        }).orElse(Target.notMeasured(completes, "no run at 0.8 × C/L")));
        targets.add(overheadVsBullmq("at 0.8 × C/L", g08, b08));
        targets.add(overheadVsBullmq("at 50 jobs/s", g50, b50));
        String submit = "at 50 jobs/s, submit p99 ≤ 20 ms";
        targets.add(g50.map(g -> atMost(submit, g.submit().p99(), 20, "ms"))
                .orElse(Target.notMeasured(submit, "no run at 50 jobs/s")));
        for (Optional<RunStats> g : List.of(g50, g08)) {
            String cpu = "CPU per unique job, all GenPipe processes including the broker, ≤ 3 ms at "
                    + (g == g50 ? "50 jobs/s" : "0.8 × C/L");
            targets.add(g.map(x -> atMost(cpu, x.cpuMsPerJob(genpipeCpuSeconds(x)), 3, "ms"))
                    .orElse(Target.notMeasured(cpu, "no run")));
        }
        String records = "≤ 4 Kafka records per unique SUBTOPICS job (the most of any GenPipe load run)";
        double worst = r.runs().stream().filter(x -> x.system().equals("GenPipe") && x.kafka().present())
                .mapToDouble(x -> x.perJob(x.kafka().records())).max().orElse(Double.NaN);
        targets.add(Double.isNaN(worst) ? Target.notMeasured(records, "not counted")
                : atMost(records, worst, 4, "records"));
        String idle = "idle CPU ≤ 2 % of a core (all GenPipe processes: API, workers, broker)";
        targets.add(r.idle() == null ? Target.notMeasured(idle, "not measured")
                : atMost(idle, r.idle().genpipePercent(), 2, "%"));
        String cold = "cold start: submit p99 ≤ 200 ms in the first " + r.settings().coldStartS()
                + " s after readiness";
        targets.add(r.coldStart() == null ? Target.notMeasured(cold, "not measured")
                : atMost(cold + (r.coldStart().cacheUsed() ? " (with the warm-start cache)" : " (no cache)"),
                r.coldStart().run().submit().p99(), 200, "ms"));
        String hit = "cache-hit completion p50 ≤ 5 ms";
        targets.add(r.cacheHit() == null ? Target.notMeasured(hit, "not measured")
                : atMost(hit, r.cacheHit().endToEnd().p50(), 5, "ms"));
        String waited = "cache hit in one round trip (POST with Prefer: wait) p50 ≤ 10 ms";
        targets.add(r.cacheHit() == null || r.cacheHit().waitedAnswers() == 0 ? Target.notMeasured(waited, "not measured")
                : atMost(waited, r.cacheHit().waited().p50(), 10, "ms"));
        List<RunStats> all = new ArrayList<>(r.runs());
        if (r.coldStart() != null) {
            all.add(r.coldStart().run());
        }
        int lost = all.stream().mapToInt(RunStats::lost).sum();
        int twice = all.stream().mapToInt(RunStats::twice).sum();
        targets.add(new Target("no job lost or completed twice (every run, both systems)",
                lost + " lost, " + twice + " completed twice", lost == 0 && twice == 0,
                lost + twice == 0 ? "" : (lost + twice) + " jobs"));
        return targets;
    }

    /** CPU seconds of GenPipe's own processes in a run: API, workers and the Kafka broker. */
    static double genpipeCpuSeconds(RunStats run) {
        return run.usage().stream().filter(u -> u.role() == Resources.Role.GENPIPE)
                .mapToDouble(Resources.Usage::cpuSeconds).sum();
    }

    private static Target overheadVsBullmq(String at, Optional<RunStats> g, Optional<RunStats> b) {
        String target = at + ", overhead p99 ≤ 1.5 × BullMQ's in the same run";
        if (g.isEmpty() || b.isEmpty()) {
            return Target.notMeasured(target, "no runs");
        }
        double gp = g.get().overhead().p99();
        double limit = 1.5 * Math.max(0, b.get().overhead().p99());
        boolean met = g.get().overhead().present() && b.get().overhead().present() && gp <= limit;
        return new Target(target, String.format(Locale.ROOT, "%s vs BullMQ's %s ms (limit %s ms)", Report.ms(gp),
                Report.ms(b.get().overhead().p99()), Report.ms(limit)), met,
                met ? "" : String.format(Locale.ROOT, "%s ms", Report.ms(gp - limit)));
    }

    private static Target atMost(String target, double measured, double limit, String unit) {
        if (Double.isNaN(measured)) {
            return Target.notMeasured(target, "–");
        }
        boolean met = measured <= limit;
        return new Target(target, String.format(Locale.ROOT, "%.2f %s", measured, unit), met, met ? ""
                : String.format(Locale.ROOT, "%.2f %s (%.1f × the target)", measured - limit, unit,
                measured / limit));
    }
}
