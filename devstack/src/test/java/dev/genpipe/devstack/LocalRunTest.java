package dev.genpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.LocalRunSettings.LocalPorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local run's orchestration, with small fake jars in place of the API and the worker. */
class LocalRunTest {

    @TempDir
    Path home;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Test
    void startsEverythingWiresTheChildrenAndStopsInOrder() throws Exception {
        TestJars.runnable(FakeServiceMain.class, home.resolve(LocalRun.API_JAR));
        TestJars.runnable(FakeServiceMain.class, home.resolve(LocalRun.WORKER_JAR));
        LocalPorts ports = new LocalPorts(FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next());
        int apiPort = FreePorts.next();
        LocalRun run = new LocalRun(new LocalRunSettings(null, null, 6379, null, 25, apiPort, 2, home, ports),
                lines::add);
        try {
            run.start();
            assertThat(run.awaitApiReady()).isTrue();

            String standIn = "http://127.0.0.1:" + ports.standIn();
            assertThat(lines).contains(
                    "Gemini:  OFFLINE STAND-IN at " + standIn + " (set GEMINI_API_KEY to use the real Gemini API)",
                    "  curl -s -X POST localhost:" + apiPort + "/api/jobs -H 'Content-Type: application/json' "
                            + "-d '{\"type\":\"SUBTOPICS\",\"input\":{\"topic\":\"Photosynthesis\"}}'",
                    "[api] env SERVER_PORT=" + apiPort,
                    "[api] env KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" + ports.kafka());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lines).contains(
                    "[worker-1] env SERVER_PORT=" + ports.firstWorker(),
                    "[worker-2] env SERVER_PORT=" + (ports.firstWorker() + 1),
                    "[worker-2] env GENPIPE_WORKER_ID=worker-2",
                    "[worker-2] env KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" + ports.kafka(),
                    "[worker-2] env REDIS_HOST=127.0.0.1",
                    "[worker-2] env REDIS_PORT=" + ports.redis(),
                    "[worker-2] env GEMINI_BASE_URL=" + standIn,
                    "[worker-2] env GEMINI_API_KEY=offline-stand-in")
                    .anyMatch(line -> line.startsWith("[worker-1] jvm ") && line.contains("-Xmx512m")));
            assertThat(RedisWire.command("127.0.0.1", ports.redis(), "PING")).containsExactly("+PONG");
        } finally {
            run.stop();
        }

        assertThat(lines.getLast()).isEqualTo("stopped");
        assertThat(lines).noneMatch(line -> line.contains("unexpectedly"));
        for (int port : new int[] {apiPort, ports.redis(), ports.standIn(), ports.kafka()}) {
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aMissingJarSaysToRunTheScript() {
        LocalRun run = new LocalRun(new LocalRunSettings("x:1", "h", 1, "key", 0, 1, 1, home, LocalPorts.DEFAULT),
                lines::add);

        assertThatThrownBy(run::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(LocalRun.API_JAR)
                .hasMessageContaining("run ./run-local.sh (it builds first)");
        assertThat(lines).isEmpty();
    }

    @Test
    void settingsComeFromTheEnvironment() throws IOException {
        LocalRunSettings defaults = LocalRunSettings.fromEnvironment(Map.of());
        assertThat(defaults).isEqualTo(new LocalRunSettings(null, null, 6379, null, 300, 8080, 1,
                Path.of("").toAbsolutePath(), LocalPorts.DEFAULT));
        assertThat(defaults.useStandIn()).isTrue();

        LocalRunSettings set = LocalRunSettings.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9",
                "REDIS_HOST", "r", "REDIS_PORT", "7000", "GEMINI_API_KEY", "secret", "STANDIN_LATENCY_MS", "0",
                "API_PORT", "9000", "WORKERS", "3", "GENPIPE_HOME", home.toString()));
        assertThat(set).isEqualTo(new LocalRunSettings("k:9", "r", 7000, "secret", 0, 9000, 3, home, LocalPorts.DEFAULT));
        assertThat(set.useStandIn()).isFalse();

        assertThatThrownBy(() -> LocalRunSettings.fromEnvironment(Map.of("WORKERS", "many")))
                .hasMessageContaining("WORKERS");
    }
}
