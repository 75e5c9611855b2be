package dev.genpipe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A process the harness started: its output goes line by line to a log file (the last lines are kept for error
 * messages) and to an optional listener; {@link #close()} sends SIGTERM and kills it after a grace period. Its
 * standard input stays open while the harness lives, so a child that watches it (the BullMQ worker) ends with it.
 */
final class Spawned implements AutoCloseable {

    private static final int KEPT_LINES = 60;

    private final String name;
    private final Process process;
    private Path logFile;
    private final Deque<String> tail = new ArrayDeque<>();
    private final OutputStream stdin;
    private volatile boolean stopping;

    private Spawned(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
    }

    static Spawned start(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile,
                         Consumer<String> lines) throws IOException {
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Spawned child = new Spawned(name, builder.start());
        child.logFile = logFile;
        PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
        Thread.ofVirtual().name("output-" + name).start(() -> child.forward(log, lines));
        return child;
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    /** Waits for the process to end by itself; false if it still runs after {@code timeout}. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last lines it printed, for error messages. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}. Safe to call more than once. */
    void stop(Duration grace) {
        stopping = true;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process is gone already
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    boolean stopping() {
        return stopping;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    private void forward(PrintWriter log, Consumer<String> lines) {
        try (log; BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.println(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > KEPT_LINES) {
                        tail.removeFirst();
                    }
                }
                if (lines != null) {
                    lines.accept(line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }
}
