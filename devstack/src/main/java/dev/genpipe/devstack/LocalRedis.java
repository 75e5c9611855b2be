package dev.genpipe.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import redis.embedded.RedisExecProvider;

/**
 * A real redis-server (7.0.15, the binary shipped in {@code org.signal:embedded-redis}) on 127.0.0.1,
 * without persistence ({@code save ""}, {@code appendonly no}) and with {@code maxmemory 128mb}.
 *
 * <p>It can be stopped and restarted on the same port, to test what the pipeline does while Redis is gone.
 * The server runs in its own session where {@code setsid} exists, so a terminal's Ctrl-C reaches only the
 * JVM, which stops it. A JVM shutdown hook stops it if nobody closed it.
 *
 * <p>With {@code -Dgenpipe.infra=containers} ({@link Infrastructure}) it is a redis container on the same kind of
 * fixed host port instead; stop and restart behave alike.
 *
 * <p>embedded-redis's own {@code RedisServer} is not used: it registers a JVM shutdown hook per start
 * that cannot be removed, which would stop Redis before the local run has stopped the workers that use it.
 */
public final class LocalRedis implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 20;
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final int port;
    private final Path workDir;
    private final Thread shutdownHook;
    private final ContainerRedis container;
    private RedisProcess process;

    private LocalRedis(int port, boolean stopOnJvmExit, Infrastructure infrastructure) throws IOException {
        this.port = port;
        this.container = infrastructure == Infrastructure.CONTAINERS ? new ContainerRedis(port) : null;
        this.workDir = Files.createTempDirectory("genpipe-redis-");
        this.shutdownHook = stopOnJvmExit ? new Thread(this::stop, "local-redis-stop-" + port) : null;
    }

    /** Starts Redis on a free port. */
    public static LocalRedis start() {
        return start(0);
    }

    /** Starts Redis on the given port (0 for a free one); a failed start says why. */
    public static LocalRedis start(int port) {
        return start(port, true);
    }

    /** For the local run, which stops Redis itself, after the processes that use it. */
    static LocalRedis start(int port, boolean stopOnJvmExit) {
        return start(port, stopOnJvmExit, Infrastructure.selected());
    }

    static LocalRedis start(int port, boolean stopOnJvmExit, Infrastructure infrastructure) {
        try {
            LocalRedis redis = new LocalRedis(port > 0 ? port : FreePorts.next(), stopOnJvmExit, infrastructure);
            redis.restart();
            if (redis.shutdownHook != null) {
                Runtime.getRuntime().addShutdownHook(redis.shutdownHook);
            }
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare redis-server", e);
        }
    }

    public String host() {
        return container != null ? container.host() : HOST;
    }

    public int port() {
        return port;
    }

    /** Whether redis-server is running. */
    public synchronized boolean isRunning() {
        if (container != null) {
            return container.isRunning();
        }
        return process != null && process.process.isAlive();
    }

    /** Stops redis-server (SIGTERM, then kill after 10 s); the data is gone. Does nothing if stopped. */
    public synchronized void stop() {
        Process running = detach();
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills redis-server with SIGKILL, as a crash would (a container is stopped); {@link #restart()} starts it again
     * on the same port, empty. Does nothing if stopped.
     */
    public synchronized void kill() {
        Process running = detach();
        if (running == null) {
            return;
        }
        try {
            running.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The running redis-server process, forgotten (null when none or a container, which is stopped here). */
    private Process detach() {
        if (container != null) {
            container.stop();
            return null;
        }
        if (process == null) {
            return null;
        }
        Process running = process.process;
        process = null;
        return running;
    }

    /** Starts redis-server again on the same port (stopping it first if it runs), with no data. */
    public synchronized void restart() {
        stop();
        if (container != null) {
            container.start();
            return;
        }
        process = RedisProcess.start(command(), workDir.toFile(), HOST, port);
    }

    /** Stops redis-server for good. */
    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(workDir);
        } catch (IOException notEmpty) {
            // redis-server wrote something after all; the temp dir stays behind
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to; stop() is idempotent
            }
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(Sessions.detachedPrefix());
        command.addAll(List.of(RedisBinary.path(),
                "--port", Integer.toString(port),
                "--bind", HOST,
                "--save", "",
                "--appendonly", "no",
                "--maxmemory", "128mb",
                "--daemonize", "no",
                "--dir", workDir.toString()));
        return command;
    }

    /** A started redis-server process and the reader that drains its output. */
    private record RedisProcess(Process process) {

        private static final String READY = "Ready to accept connections";
        private static final int KEPT_LINES = 40;

        static RedisProcess start(List<String> command, File workDir, String host, int port) {
            Process process;
            try {
                process = new ProcessBuilder(command).directory(workDir).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("Could not run redis-server " + command, e);
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            List<String> output = new ArrayList<>();
            Thread.ofVirtual().name("redis-output-" + port).start(() -> drain(process, ready, output));
            try {
                ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return new RedisProcess(process);
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
                String why = process.isAlive() ? "did not get ready within " + START_TIMEOUT_SECONDS + " s"
                        : "exited";
                throw new IllegalStateException("redis-server on " + host + ":" + port + " " + why
                        + " (is the port taken?). Its output:\n" + String.join("\n", snapshot(output)), e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting redis-server", e);
            }
        }

        private static void drain(Process process, CompletableFuture<Void> ready, List<String> output) {
            try (var reader = process.inputReader()) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!ready.isDone()) {
                        synchronized (output) {
                            output.add(line);
                            if (output.size() > KEPT_LINES) {
                                output.removeFirst();
                            }
                        }
                        if (line.contains(READY)) {
                            ready.complete(null);
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone; the exit below says so
            }
            ready.completeExceptionally(new IllegalStateException("redis-server exited"));
        }

        private static List<String> snapshot(List<String> output) {
            synchronized (output) {
                return List.copyOf(output);
            }
        }
    }

    /** The redis-server binary, extracted once per JVM from the embedded-redis jar. */
    private static final class RedisBinary {

        private static String path;

        static synchronized String path() {
            if (path == null) {
                try {
                    path = RedisExecProvider.defaultProvider().get().getAbsolutePath();
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not extract redis-server from the embedded-redis jar", e);
                }
            }
            return path;
        }
    }
}
