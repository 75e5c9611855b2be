package dev.genpipe.systemtests.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.GeminiStandIn;
import dev.genpipe.systemtests.GenPipeStack;
import dev.genpipe.devstack.GeminiStandIn.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web console (api/src/main/resources/static) in a real browser: Debian's chromium driven by playwright-core
 * ({@code console-tests/run.mjs}) against the assembled system (real Kafka, Redis, Gemini stand-in, API in open-access
 * mode with an admin token, one worker). Screenshots: {@code target/console-screenshots/}. Missing node, npm
 * dependencies or chromium fail the test and say what to install; it is never skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    // the suite's secret scan knows this value (TestSecrets.ADMIN_TOKEN, src/test/resources/test-secrets.txt)
    private static final String ADMIN_TOKEN = "admin-Zq8vX2pL7mK4wR9t";
    private static final String GEMINI_KEY = "gemini-Jd3nB6yH1sQ5cV0u";
    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(150);
    private static final String INSTALL = " — ./run-tests.sh installs it (bin/prepare-tests.sh); by hand: "
            + "`apt-get install -y --no-install-recommends nodejs npm chromium` and `(cd console-tests && npm ci)`";

    private static GenPipeStack stack;
    private static Path consoleTests;
    private static Path screenshots;
    private static GeminiStandIn gemini;
    private static String baseUrl;

    private static int corsPort;

    @BeforeAll
    static void startSystem() throws Exception {
        consoleTests = findConsoleTests();
        screenshots = Path.of("target", "console-screenshots").toAbsolutePath();
        Files.createDirectories(screenshots);
        requireBrowserTooling();

        stack = GenPipeStack.start();
        gemini = stack.gemini;
        gemini.latency(Duration.ofMillis(1200));
        corsPort = dev.genpipe.devstack.FreePorts.next(); // run.mjs serves a frontend page there, another origin
        baseUrl = stack.startApi("genpipe.api.admin-token=" + ADMIN_TOKEN,
                "genpipe.cors.origins=http://127.0.0.1:" + corsPort).baseUrl();
        stack.startWorker("worker-console",
                "genpipe.worker.max-in-flight=2",
                "genpipe.pool.heartbeat=1s",
                "genpipe.breaker.failure-threshold=2",
                "genpipe.breaker.recovery-timeout=600",
                "genpipe.breaker.first-recovery-timeout=600",
                "genpipe.gemini.api-key=" + GEMINI_KEY);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, "/actuator/health/readiness") == 200);
        // a live worker in the pool view, so the console's ops panel has something to show
        await().atMost(Duration.ofSeconds(30)).until(() -> body(http, "/api/metrics").contains("\"live\":1"));
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void theConsoleSubmitsStreamsResumesAndShowsModelOutputAsText() throws Exception {
        String output = node("main");
        assertThat(output).contains("PASS keyboard-presentation", "PASS reload-resume", "PASS script-as-text",
                "PASS error-messages", "PASS my-recent-jobs", "PASS eventsource-stops", "PASS cross-origin");
    }

    @Test
    @Order(2)
    void theOperationsPanelShowsAnOpenBreakerAndResetsIt() throws Exception {
        gemini.failAlways(Failure.UNAVAILABLE);
        String output = node("breaker");
        assertThat(output).contains("PASS breaker-open");
    }

    /** Runs console-tests/run.mjs; fails with its output unless it exits 0. */
    private static String node(String scenarios) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "run.mjs", baseUrl, screenshots.toString(), scenarios)
                .directory(consoleTests.toFile()).redirectErrorStream(true);
        builder.environment().put("GENPIPE_CONSOLE_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().put("CHROMIUM_PATH", CHROMIUM);
        builder.environment().put("GENPIPE_CONSOLE_STANDIN", gemini.baseUrl()); // run.mjs holds and heals it
        builder.environment().put("GENPIPE_CONSOLE_CORS_PORT", Integer.toString(corsPort));
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        if (!process.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("console-tests/run.mjs " + scenarios + " took longer than " + NODE_TIMEOUT
                    + "; output so far:\n" + output.getNow(""));
        }
        String text = output.get(10, TimeUnit.SECONDS);
        System.out.println("console-tests/run.mjs " + scenarios + ":\n" + text);
        assertThat(process.exitValue()).as("exit code of console-tests/run.mjs %s; its output:%n%s", scenarios, text)
                .isZero();
        assertThat(text).doesNotContain("FAIL").doesNotContain(ADMIN_TOKEN);
        return text;
    }

    private static void requireBrowserTooling() throws InterruptedException {
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String text = read(version.getInputStream()).strip();
            if (!version.waitFor(20, TimeUnit.SECONDS) || version.exitValue() != 0) {
                throw new AssertionError("`node --version` failed: " + text + INSTALL);
            }
            int major = Integer.parseInt(text.replaceFirst("^v(\\d+).*", "$1"));
            if (major < 20) {
                throw new AssertionError("node " + text + " is too old (playwright-core needs 20+)" + INSTALL);
            }
        } catch (IOException | NumberFormatException e) {
            throw new AssertionError("node is not installed (" + e.getMessage() + ")" + INSTALL, e);
        }
        if (!Files.isDirectory(consoleTests.resolve("node_modules/playwright-core"))) {
            throw new AssertionError("console-tests/node_modules/playwright-core is missing" + INSTALL);
        }
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            throw new AssertionError("no chromium at " + CHROMIUM + " (or set CHROMIUM_PATH)" + INSTALL);
        }
    }

    private static Path findConsoleTests() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("console-tests/run.mjs"))) {
                return dir.resolve("console-tests");
            }
        }
        throw new AssertionError("console-tests/run.mjs not found above " + Path.of("").toAbsolutePath());
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    private static int status(HttpClient http, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String body(HttpClient http, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        }
    }
}
