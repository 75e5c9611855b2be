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
    @Timeout(240)
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
                "## Resources per run", "## GenPipe alone", "cache hit", "raw submit throughput", "presentation");
        for (double factor : settings.loadFactors()) {
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
        }
        assertThat(report).containsPattern("\\| cache hit: submit → completion [^\\n]*\\| \\d+\\.\\d / ");
        assertThat(report).containsPattern("\\*\\*\\d+ submits/s\\*\\*");
        assertThat(report).contains("| no job lost, none completed twice");
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

    private static String throughputRow(String report, double factor, String system) {
        return report.lines().filter(l -> l.startsWith(String.format(java.util.Locale.ROOT, "| %.1f × C/L | ", factor)))
                .filter(l -> cells(l).size() >= 16 && cells(l).get(2).equals(system)).findFirst().orElse(null);
    }

    private static String latencyRow(String report, double factor, String system) {
        return report.lines().filter(l -> l.startsWith(String.format(java.util.Locale.ROOT, "| %.1f × C/L | %s | ",
                factor, system))).filter(l -> cells(l).size() == 6).findFirst().orElse(null);
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
