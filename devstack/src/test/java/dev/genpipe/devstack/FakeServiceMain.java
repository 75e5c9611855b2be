package dev.genpipe.devstack;

import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Plays the API or a worker in a child JVM: prints the environment the local run gave it, serves
 * {@code /actuator/health/readiness} on SERVER_PORT when it is the API, exits with FAKE_EXIT_CODE if set,
 * and otherwise runs until it is stopped.
 */
public final class FakeServiceMain {

    private FakeServiceMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String name : List.of("SERVER_PORT", "GENPIPE_WORKER_ID", "KAFKA_BOOTSTRAP_SERVERS", "REDIS_HOST",
                "REDIS_PORT", "GEMINI_BASE_URL", "GEMINI_API_KEY")) {
            System.out.println("env " + name + "=" + System.getenv(name));
        }
        System.out.println("jvm " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        String exitCode = System.getenv("FAKE_EXIT_CODE");
        if (exitCode != null) {
            System.exit(Integer.parseInt(exitCode));
        }
        if (System.getenv("GENPIPE_WORKER_ID") == null) {
            int port = Integer.parseInt(System.getenv("SERVER_PORT"));
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            server.createContext("/actuator/health/readiness", exchange -> {
                byte[] body = "{\"status\":\"UP\"}".getBytes();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }
        Thread.currentThread().join();
    }
}
