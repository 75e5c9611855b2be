package dev.genpipe.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One of the system's jars as a process of its own, so that a test can kill it for real: {@link #kill()} is SIGKILL
 * (no shutdown hook, no last commit), {@link #close()} SIGTERM then SIGKILL after a grace period. Its output goes to
 * {@code target/<name>.log} (appended across restarts); {@link #awaitLine} waits for a line that starts that contains a given text.
 */
final class JarProcess implements AutoCloseable {

    static final Path WORKER_JAR = Path.of("..", "worker", "target", "genpipe-worker-0.1.0-SNAPSHOT-exec.jar");
    static final Path API_JAR = Path.of("..", "api", "target", "genpipe-api-0.1.0-SNAPSHOT-exec.jar");
    static final Path DEVSTACK_JAR = Path.of("..", "devstack", "target", "genpipe-devstack-0.1.0-SNAPSHOT-exec.jar");
    private static final long STOP_GRACE_SECONDS = 15;

    private final String name;
    private final Process process;
    private final CompletableFuture<String> line = new CompletableFuture<>();
    private volatile String awaitedPrefix;

    private JarProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** Starts {@code java -Xmx… -jar jar args…}; the jar must have been built by {@code mvn package}. */
    static JarProcess start(String name, Path jar, String heap, String awaitedPrefix, List<String> args) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with `mvn package` before this module");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString()));
        command.addAll(args);
        try {
            Path log = Files.createDirectories(Path.of("target")).resolve(name + ".log");
            // stdin stays a pipe: a broker started with --watch-stdin ends when this JVM does, even killed
            JarProcess child = new JarProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
            child.awaitedPrefix = awaitedPrefix;
            Thread.ofVirtual().name("out-" + name).start(() -> child.copyOutput(log));
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** The standard arguments of a worker process of {@code stack}-like parts. */
    static List<String> workerArgs(String id, String bootstrap, int partitions, String geminiUrl, String redisHost,
                                   int redisPort, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--genpipe.topics.partitions=" + partitions,
                "--genpipe.worker.id=" + id,
                "--genpipe.gemini.api-key=" + TestSecrets.GEMINI_KEY,
                "--genpipe.gemini.base-url=" + geminiUrl,
                "--genpipe.gemini.timeout=30",
                "--genpipe.cache.redis-host=" + redisHost,
                "--genpipe.cache.redis-port=" + redisPort));
        args.addAll(List.of(extra));
        return args;
    }

    /** The first line that contains the text given at start, waited for at most {@code seconds}. */
    String awaitLine(long seconds) {
        try {
            return line.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " printed no '" + awaitedPrefix + "' within " + seconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(name + " ended before it was ready", e.getCause());
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait until it is gone. */
    void kill() {
        try {
            process.destroyForcibly().waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    private void copyOutput(Path log) {
        try (BufferedReader reader = process.inputReader();
             Writer out = Files.newBufferedWriter(log, java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.APPEND)) {
            String text;
            while ((text = reader.readLine()) != null) {
                if (awaitedPrefix != null && text.contains(awaitedPrefix)) {
                    line.complete(text);
                }
                out.write(text);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // the process is gone
        }
        line.completeExceptionally(new IllegalStateException(name + " exited"));
    }
}
