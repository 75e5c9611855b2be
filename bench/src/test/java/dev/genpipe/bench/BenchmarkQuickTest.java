package dev.genpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the benchmark harness in quick mode with real processes (Kafka, redis-server, the stand-in, the API and worker
 * JVMs, the BullMQ worker on Node), so the harness cannot rot. Asserts a well-formed report with numbers for both
 * systems and no lost jobs; never asserts timings. The report goes to {@code bench/target/benchmarks-quick.md}.
 * Without Node.js/npm (or when {@code npm ci} fails) this test fails and says how to fix it: it does not skip.
 */
class BenchmarkQuickTest {

    private final AtomicReference<Stack> running = new AtomicReference<>();

    @Test
    @Timeout(300)
    void runsTheHarnessInQuickModeAndWritesAWellFormedReport() throws Exception {
        Benchmark.quietLogging();
        BenchSettings settings = BenchSettings.quick(Benchmark.homeForTests());
        Files.deleteIfExists(settings.reportFile());
        List<String> log = new ArrayList<>();

        String report = Benchmark.run(settings, line -> {
            System.out.println("[bench] " + line);
            log.add(line);
        }, running);

        assertThat(settings.reportFile()).exists();
        assertThat(settings.reportFile().toString()).contains("bench" + java.io.File.separator + "target");
        assertThat(Files.readString(settings.reportFile())).isEqualTo(report);
        assertThat(report).startsWith("# GenPipe benchmarks").contains("## Machine", "## Settings", "## Targets",
                "## GenPipe vs BullMQ: throughput and correctness", "## GenPipe vs BullMQ: latency",
                "## Resources per run", "## CPU per job (ms), per process, side by side",
                "## GenPipe: Kafka records and bytes per job", "## Idle CPU", "## Cold start and warm start",
                "## GenPipe alone", "cache hit", "raw submit throughput", "presentation");
        assertThat(settings.loads()).extracting(Load::label).contains("50 jobs/s", "0.8 × C/L", "1.2 × C/L");
        for (Load load : settings.loads()) {
            String factor = load.label();
            for (String system : List.of("GenPipe", "BullMQ")) {
                String row = throughputRow(report, factor, system);
                assertThat(row).as("throughput row of %s at %s", system, factor).isNotNull();
                List<String> cells = cells(row);
                // | load | order | system | offered | achieved | % | measured | completed | lost | failed | ...
                // a number, whatever its size: a one-second window may end before the first completion
                assertThat(Double.parseDouble(cells.get(4))).as("achieved throughput of %s", system).isNotNegative();
                assertThat(Integer.parseInt(cells.get(7))).as("completed jobs of %s", system).isPositive();
                assertThat(Integer.parseInt(cells.get(8))).as("lost jobs of %s at %s", system, factor).isZero();
                String latency = latencyRow(report, factor, system);
                assertThat(latency).as("latency row of %s at %s", system, factor).isNotNull();
                assertThat(cells(latency).get(3)).as("end-to-end percentiles of %s", system)
                        .matches("-?\\d+\\.\\d / -?\\d+\\.\\d / -?\\d+\\.\\d / -?\\d+\\.\\d");
            }
            // CPU per job side by side: the broker's column and GenPipe's sum are numbers
            List<String> cpu = cells(row(report, "| " + factor + " | ", 10));
            assertThat(Double.parseDouble(cpu.get(3))).as("broker CPU ms per job at %s", factor).isPositive();
            assertThat(Double.parseDouble(cpu.get(4).replace("**", ""))).as("GenPipe CPU ms per job at %s", factor)
                    .isPositive();
            assertThat(Double.parseDouble(cpu.get(9).replace("**", ""))).as("BullMQ CPU ms per job at %s", factor)
                    .isPositive();
            // Kafka records per job: a number > 0, offset commits counted
            List<String> kafka = report.lines().filter(l -> l.startsWith("| " + factor + " | ")).map(
                    BenchmarkQuickTest::cells).filter(c -> c.size() == 6 && c.get(1).matches("\\d+")).findFirst()
                    .orElseThrow();
            assertThat(Double.parseDouble(kafka.get(2))).as("Kafka records per job at %s", factor).isPositive();
            assertThat(kafka.get(3)).contains("`genpipe.jobs`", "`genpipe.job-events`");
            assertThat(Double.parseDouble(kafka.get(4))).as("Kafka bytes per job at %s", factor).isPositive();
            assertThat(Double.parseDouble(kafka.get(5))).as("offset commits per job at %s", factor).isNotNegative();
        }
        // the broker is a process of its own, with its CPU in every GenPipe run and in the idle phase
        assertThat(report).containsPattern("\\| GenPipe \\| kafka broker \\| GenPipe \\| \\d+\\.\\d\\d \\| ");
        assertThat(row(report, "| kafka broker | GenPipe | ", 4)).as("idle row of the broker")
                .matches("\\| kafka broker \\| GenPipe \\| \\d+\\.\\d\\d \\| \\d+\\.\\d\\d % \\|");
        assertThat(row(report, "| api | GenPipe | ", 4)).as("idle row of the API").isNotNull();
        assertThat(report).containsPattern("\\| \\*\\*all GenPipe processes \\(API, workers, broker\\)\\*\\* "
                + "\\| GenPipe \\| \\| \\*\\*\\d+\\.\\d\\d %\\*\\* \\|");
        // cold start: a cache was trained and used, start-up times, the window's figures, no job lost
        assertThat(report).contains("| warm-start cache of the measured window | **used**: ");
        assertThat(report).containsPattern("\\| start-up of the api \\(s\\)[^|]*\\| \\d+\\.\\d\\d / \\d+\\.\\d\\d / "
                + "\\d+\\.\\d\\d \\|");
        assertThat(report).containsPattern("\\| start-up of the worker \\(s\\)[^|]*\\| \\d+\\.\\d\\d / ");
        assertThat(report).containsPattern("\\| first \\d+ s after readiness: submit ms [^|]*\\| -?\\d+\\.\\d / ");
        assertThat(report).containsPattern("\\| first \\d+ s after readiness: jobs \\| \\d+ arrived, [1-9]\\d* completed, "
                + "0 lost, ");
        assertThat(report).containsPattern("\\| cold start, 0\\.3 × C/L \\| [1-9]\\d* \\| \\d+\\.\\d\\d \\| ");
        // the targets: every one of the rows, each judged (met / not met) or saying why not
        for (String target : List.of("at 0.8 × C/L, ≥ 95 % of the offered load completed",
                "at 0.8 × C/L, overhead p99 ≤ 1.5 × BullMQ's", "at 50 jobs/s, overhead p99 ≤ 1.5 × BullMQ's",
                "at 50 jobs/s, submit p99 ≤ 20 ms", "CPU per unique job, all GenPipe processes including the broker, "
                        + "≤ 3 ms at 50 jobs/s", "≤ 3 ms at 0.8 × C/L", "≤ 4 Kafka records per unique SUBTOPICS job",
                "idle CPU ≤ 2 % of a core", "cold start: submit p99 ≤ 200 ms", "cache-hit completion p50 ≤ 5 ms",
                "no job lost or completed twice")) {
            assertThat(report).as("target %s", target).containsPattern("\\| [^|\\n]*" + java.util.regex.Pattern.quote(
                    target) + "[^|\\n]* \\| [^|\\n]+ \\| \\*\\*(met|not met)\\*\\* \\|");
        }
        assertThat(report).containsPattern("\\| cache hit: submit → completion [^\\n]*\\| \\d+\\.\\d / ");
        assertThat(report).containsPattern("\\*\\*\\d+ submits/s\\*\\*");
        // every process the harness started is gone
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse("?"))
                .filter(c -> c.contains("java") || c.contains("node") || c.contains("redis")).toList())
                .as("processes left running").isEmpty();
    }

    @AfterEach
    void stopEverything() {
        Stack stack = running.get();
        if (stack != null) {
            stack.close();
        }
    }

    private static String throughputRow(String report, String load, String system) {
        return report.lines().filter(l -> l.startsWith("| " + load + " | "))
                .filter(l -> cells(l).size() >= 16 && cells(l).get(2).equals(system)).findFirst().orElse(null);
    }

    private static String latencyRow(String report, String load, String system) {
        return row(report, "| " + load + " | " + system + " | ", 6);
    }

    /** The first row that starts with {@code prefix} and has {@code columns} cells. */
    private static String row(String report, String prefix, int columns) {
        return report.lines().filter(l -> l.startsWith(prefix)).filter(l -> cells(l).size() == columns).findFirst()
                .orElse(null);
    }

    private static List<String> cells(String row) {
        String inner = row.strip();
        inner = inner.substring(1, inner.length() - 1);
        return List.of(inner.split("\\|", -1)).stream().map(String::strip).toList();
    }

    static Path home() {
        return Benchmark.homeForTests();
    }
}
