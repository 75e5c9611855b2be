package dev.genpipe.systemtests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on a free loopback port (the JDK's HttpServer, one virtual thread per request): it records every
 * request and answers the statuses it was given in turn (200 once they are used up), or never answers at all until it
 * is closed. Closing it releases the requests it holds and stops it.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Delivery(String id, String timestamp, String signature, byte[] body) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Integer> statuses;
    private final boolean hang;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();

    private WebhookReceiver(boolean hang, List<Integer> statuses) throws IOException {
        this.hang = hang;
        this.statuses = new ConcurrentLinkedQueue<>(statuses);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/hook", this::handle);
        server.start();
    }

    /** Answers {@code statuses} in turn, then 200. */
    static WebhookReceiver answering(Integer... statuses) throws IOException {
        return new WebhookReceiver(false, List.of(statuses));
    }

    /** Accepts every request and never answers (until closed). */
    static WebhookReceiver hanging() throws IOException {
        return new WebhookReceiver(true, List.of());
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    int answered() {
        return answered.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            deliveries.add(new Delivery(headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                    headers.getFirst("webhook-signature"), body));
            if (hang) {
                closed.await();
                return;
            }
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            answered.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(1);
        threads.shutdownNow();
    }
}
