package dev.genpipe.api.webhooks;

import dev.genpipe.common.job.Webhook;
import dev.genpipe.common.view.JobView;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Delivers one finished job's webhook until the receiver answers 2xx or the retry time ({@code retryFor} after the job
 * ended) runs out, reporting each attempt's outcome. Attempts go on from where the job's view says they stand (a
 * delivery taken over after a restart or a rebalance), with the same message id ({@code msg_<jobId>}) and the same
 * body every time, so receivers can deduplicate; at least one attempt is always made.
 */
@Component
class WebhookDelivery {

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

    private final WebhookSender sender;
    private final WebhookReports reports;
    private final WebhookSecrets secrets;
    private final JobBody bodies;
    private final Backoff backoff;
    private final Duration retryFor;

    WebhookDelivery(WebhookSender sender, WebhookReports reports, Callbacks callbacks, JobBody bodies,
                    WebhookSettings settings) {
        this.sender = sender;
        this.reports = reports;
        this.secrets = callbacks.secrets();
        this.bodies = bodies;
        this.backoff = new Backoff(settings.retryBaseDelay(), settings.retryMaxDelay());
        this.retryFor = settings.retryFor();
    }

    /** Whether {@code job} has a webhook that still has to be delivered. */
    static boolean due(JobView job) {
        return job.status().isTerminal() && job.request() != null && job.request().callbackUrl() != null
                && (job.webhook() == null || !job.webhook().state().isFinal());
    }

    void deliver(JobView job) throws InterruptedException {
        String id = "msg_" + job.jobId();
        byte[] body = bodies.render(job);
        Optional<byte[]> key = secrets.key(job.request().clientId());
        Instant deadline = job.finishedAt().plus(retryFor);
        int attempts = job.webhook() == null ? 0 : job.webhook().attempts();
        while (true) {
            Attempt attempt = key.isEmpty() ? Attempt.failed("no webhook secret is configured for the job's client")
                    : send(job, id, body, key.get());
            attempts++;
            if (attempt.delivered()) {
                reports.report(job, attempt, attempts, Webhook.State.DELIVERED);
                log.debug("job {}: webhook delivered after {} attempts", job.jobId(), attempts);
                return;
            }
            Duration wait = backoff.after(attempts);
            if (key.isEmpty() || Instant.now().plus(wait).isAfter(deadline)) {
                reports.report(job, attempt, attempts, Webhook.State.GIVEN_UP);
                log.info("job {}: webhook given up after {} attempts ({})", job.jobId(), attempts,
                        attempt.error() != null ? attempt.error() : "HTTP " + attempt.status());
                return;
            }
            reports.report(job, attempt, attempts, Webhook.State.RETRYING);
            Thread.sleep(wait);
        }
    }

    private Attempt send(JobView job, String id, byte[] body, byte[] key) throws InterruptedException {
        URI url;
        try {
            url = new URI(job.request().callbackUrl());
        } catch (java.net.URISyntaxException e) {
            return Attempt.failed("not a URL");
        }
        return sender.send(url, id, body, key);
    }
}
