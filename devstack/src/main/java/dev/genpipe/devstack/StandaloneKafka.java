package dev.genpipe.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@link LocalKafka} as a process of its own, so that its CPU and memory can be measured apart from whoever starts
 * it (the benchmark harness does): {@code java -jar genpipe-devstack-exec.jar kafka [--port N] [--watch-stdin]}.
 * Prints {@code kafka ready <bootstrap servers>} once the broker accepts clients, then runs until SIGTERM (or, with
 * {@code --watch-stdin}, until its standard input closes, so it ends with the process that started it); the broker
 * and its data are removed on the way out.
 *
 * <p>With {@code --data-dir DIR} it is a {@link DurableKafka} instead: its data stays in {@code DIR}, so a broker killed
 * (SIGKILL included) and started again with the same directory comes back with its topics, records and committed
 * offsets, on the same port (the fault-injection test restarts it so).
 */
public final class StandaloneKafka {

    /** The line it prints once the broker accepts clients, followed by the bootstrap servers. */
    public static final String READY = "kafka ready ";

    private StandaloneKafka() {
    }

    static void main(String[] args) throws InterruptedException {
        int port = 0;
        boolean watchStdin = false;
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--watch-stdin" -> watchStdin = true;
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: kafka [--port N] [--data-dir DIR] [--watch-stdin]");
                    System.exit(2);
                }
            }
        }
        QuietLogging.apply();
        AutoCloseable kafka;
        String bootstrapServers;
        if (dataDir != null) {
            DurableKafka durable = DurableKafka.start(port, dataDir);
            kafka = durable;
            bootstrapServers = durable.bootstrapServers();
        } else {
            LocalKafka local = LocalKafka.start(port);
            kafka = local;
            bootstrapServers = local.bootstrapServers();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            QuietLogging.silenceKafka();
            try {
                kafka.close();
            } catch (Exception e) {
                System.err.println("kafka did not stop cleanly: " + e);
            }
            stopped.countDown();
        }, "kafka-stop"));
        System.out.println(READY + bootstrapServers);
        System.out.flush();
        if (watchStdin) {
            Thread.ofPlatform().daemon().name("kafka-stdin").start(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // nothing to read: only its end counts
                    }
                } catch (IOException ignored) {
                    // closed
                }
                System.exit(0);
            });
        }
        stopped.await();
    }
}
