package dev.genpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spawning, output forwarding, exit reporting and stopping of child JVMs. */
class ChildProcessTest {

    @TempDir
    Path dir;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private ChildProcess child;

    @AfterEach
    void killLeftovers() {
        if (child != null && child.isAlive()) {
            child.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void forwardsOutputWithAPrefixAndStopsOnRequest() throws IOException {
        child = start(Map.of("GENPIPE_WORKER_ID", "worker-7"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lines)
                .contains("[w] env GENPIPE_WORKER_ID=worker-7")
                .anyMatch(line -> line.startsWith("[w] jvm ") && line.contains("-Xmx64m")));

        child.stop(Duration.ofSeconds(15));

        assertThat(child.isAlive()).isFalse();
        assertThat(lines).noneMatch(line -> line.contains("unexpectedly"));
    }

    @Test
    void reportsAnUnexpectedExitWithItsCode() throws IOException {
        child = start(Map.of("FAKE_EXIT_CODE", "3"));

        await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("[w] exited unexpectedly with exit code 3"));
        assertThat(child.exitCode()).isEqualTo(3);
    }

    private ChildProcess start(Map<String, String> env) throws IOException {
        Path jar = TestJars.runnable(FakeServiceMain.class, dir.resolve("fake.jar"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        return ChildProcess.start("w", List.of(java, "-Xmx64m", "-jar", jar.toString()), env, dir, lines::add);
    }
}
