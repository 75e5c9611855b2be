package dev.genpipe.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process of the local run: output forwarded line by line with a {@code [name] } prefix, an
 * unexpected exit reported with its exit code, and a stop that sends SIGTERM and kills after a grace period.
 */
final class ChildProcess {

    private final String name;
    private final Process process;
    private final Consumer<String> out;
    private volatile boolean stopping;

    private ChildProcess(String name, Process process, Consumer<String> out) {
        this.name = name;
        this.process = process;
        this.out = out;
    }

    /**
     * Starts a command in {@code workDir} with the current environment plus {@code env}, in its own session
     * where possible (see {@link Sessions}).
     */
    static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
            Consumer<String> out) throws IOException {
        List<String> full = new ArrayList<>(Sessions.detachedPrefix());
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        ChildProcess child = new ChildProcess(name, builder.start(), out);
        Thread.ofVirtual().name("forward-" + name).start(child::forwardOutput);
        child.process.onExit().thenAccept(exited -> child.reportExit());
        return child;
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; only meaningful once {@link #isAlive()} is false. */
    int exitCode() {
        return process.exitValue();
    }

    /** Sends SIGTERM; an exit after this is expected. */
    void requestStop() {
        stopping = true;
        process.destroy();
    }

    /** Waits until the deadline for the process to end, then kills it. */
    void awaitStop(long deadlineNanos) {
        try {
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                out.accept("[" + name + "] did not stop in time, killing it");
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #requestStop()} then {@link #awaitStop(long)} with the given grace period. */
    void stop(Duration grace) {
        requestStop();
        awaitStop(System.nanoTime() + grace.toNanos());
    }

    private void forwardOutput() {
        String prefix = "[" + name + "] ";
        try (BufferedReader reader = process.inputReader()) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.accept(prefix + line);
            }
        } catch (IOException e) {
            // the process is gone; its exit is reported separately
        }
    }

    private void reportExit() {
        if (!stopping) {
            out.accept("[" + name + "] exited unexpectedly with exit code " + process.exitValue());
        }
    }
}
