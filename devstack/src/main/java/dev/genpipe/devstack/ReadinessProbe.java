package dev.genpipe.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls an HTTP URL until it answers 200. */
final class ReadinessProbe {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    /**
     * Returns true once {@code url} answers 200, false if the timeout passes or {@code giveUp} says so first.
     */
    boolean awaitOk(URI url, Duration timeout, BooleanSupplier giveUp) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
        while (System.nanoTime() < deadline && !giveUp.getAsBoolean()) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(POLL_INTERVAL);
        }
        return false;
    }
}
