package dev.genpipe.api.webhooks;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.common.event.JobWebhook;
import dev.genpipe.common.job.Webhook;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.view.JobView;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes how a job's webhook went ({@link JobWebhook}, one record per attempt's outcome) on
 * {@code genpipe.job-events} under the job's event key, so every API instance shows it on the job. Waits for Kafka
 * (bounded): a report that Kafka did not take is logged and the delivery goes on; the job then shows an older state.
 */
@Component
class WebhookReports {

    private static final Logger log = LoggerFactory.getLogger(WebhookReports.class);

    private final KafkaTemplate<String, Object> kafka;
    private final long timeoutMillis;

    WebhookReports(KafkaTemplate<String, Object> kafka, ApiSettings settings) {
        this.kafka = kafka;
        this.timeoutMillis = settings.kafkaTimeout().toMillis();
    }

    void report(JobView job, Attempt attempt, int attempts, Webhook.State state) throws InterruptedException {
        Instant now = Instant.now();
        JobWebhook report = new JobWebhook(job.jobId(), now, job.status(),
                new Webhook(attempts, attempt.status(), attempt.error(), state, now));
        try {
            kafka.send(Topics.JOB_EVENTS, job.request().eventKey(), report).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("job {}: webhook report ({} after {} attempts) not written: {}", job.jobId(), state, attempts,
                    e.toString());
        }
    }
}
