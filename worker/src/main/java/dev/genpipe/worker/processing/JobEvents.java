package dev.genpipe.worker.processing;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.Topics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Publishes job events (key: job id, so one job's events stay in order on one partition). */
@Component
class JobEvents {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTemplate<String, Object> kafka;

    JobEvents(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    /** Fire and forget: progress events; a lost one is repaired by the next (the view folds the history). */
    void publish(JobEvent event) {
        kafka.send(Topics.JOB_EVENTS, event.jobId().toString(), event).whenComplete((result, error) -> {
            if (error != null) {
                log.warn("could not publish {} for job {}: {}", event.getClass().getSimpleName(), event.jobId(),
                        error.toString());
            }
        });
    }

    /** Queues a job (a presentation's section) on {@code genpipe.jobs} and waits until Kafka has it. */
    boolean requestAndWait(JobRequested request, StopSignal stop) {
        return sendAndWait(Topics.JOBS, request.fingerprint(), request, stop);
    }

    /**
     * Publishes a terminal event and waits until Kafka has it, retrying while Kafka is unreachable. Only then may the
     * job's offset be committed.
     *
     * @return false when the worker is stopping before Kafka took it (the record is then re-delivered)
     */
    boolean publishAndWait(JobEvent event, StopSignal stop) {
        return sendAndWait(Topics.JOB_EVENTS, event.jobId().toString(), event, stop);
    }

    private boolean sendAndWait(String topic, String key, Object value, StopSignal stop) {
        Duration backoff = Duration.ofMillis(200);
        while (true) {
            try {
                kafka.send(topic, key, value).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                log.warn("Kafka did not take {} for {} ({}); retrying in {} ms", value.getClass().getSimpleName(), key,
                        e.toString(), backoff.toMillis());
                if (!stop.sleep(backoff)) {
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
            }
        }
    }
}
