package dev.genpipe.api.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * Makes one signed attempt: checks the URL and its resolved addresses against the policy, signs with the current
 * timestamp, POSTs, and reads nothing but the status (the response body is dropped unread). Never follows a redirect
 * (it could point anywhere). At most {@code maxInFlight} attempts are under way at once; each is bounded by
 * {@code timeout}, from connecting to the status line.
 */
@Component
class WebhookSender {

    private final CallbackPolicy policy;
    private final Duration timeout;
    private final Semaphore inFlight;
    private final HttpClient http;

    WebhookSender(Callbacks callbacks, WebhookSettings settings) {
        this.policy = callbacks.policy();
        this.timeout = settings.timeout();
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** One attempt to deliver {@code body} as message {@code id} to {@code url}. */
    Attempt send(URI url, String id, byte[] body, byte[] key) throws InterruptedException {
        try {
            policy.resolve(url); // the JDK caches the answer: the connection below uses the addresses checked here
        } catch (CallbackPolicy.RefusedAddress e) {
            return Attempt.failed("refused: " + e.getMessage());
        }
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "GenPipe-Webhooks")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.sign(key, id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        inFlight.acquire();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return Attempt.answered(response.statusCode());
        } catch (HttpTimeoutException e) {
            return Attempt.failed("no answer within " + timeout);
        } catch (IOException e) {
            return Attempt.failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            inFlight.release();
        }
    }
}
