package dev.genpipe.worker.processing;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes job events. Key: the job's {@link JobRequested#eventKey() event key} (its id, or its presentation's for a
 * section), so one job's events, and a presentation's with its sections', stay in order on one partition.
 */
@Component
class JobEvents {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTemplate<String, Object> kafka;

    JobEvents(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    /** Fire and forget: progress events (started, requeued, deltas); the terminal event that follows is awaited. */
    void publish(JobRequested job, JobEvent event) {
        kafka.send(Topics.JOB_EVENTS, job.eventKey(), event).whenComplete((result, error) -> {
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
    boolean publishAndWait(JobRequested job, JobEvent event, StopSignal stop) {
        return sendAndWait(Topics.JOB_EVENTS, job.eventKey(), event, stop);
    }

    /** {@link #requestAndWait} for several jobs at once. */
    boolean requestAllAndWait(List<JobRequested> requests, StopSignal stop) {
        return sendAllAndWait(Topics.JOBS, requests.stream()
                .map(r -> Map.entry(r.fingerprint(), (Object) r)).toList(), stop);
    }

    private boolean sendAndWait(String topic, String key, Object value, StopSignal stop) {
        return sendAllAndWait(topic, List.of(Map.entry(key, value)), stop);
    }

    /**
     * Sends every record, then waits for each acknowledgement (one round trip for all, not one each); what Kafka did
     * not take is sent again after a back-off, until it did or the worker stops.
     */
    private boolean sendAllAndWait(String topic, List<Map.Entry<String, Object>> records, StopSignal stop) {
        Duration backoff = Duration.ofMillis(200);
        List<Map.Entry<String, Object>> pending = records;
        while (true) {
            List<CompletableFuture<?>> sent = pending.stream()
                    .<CompletableFuture<?>>map(r -> kafka.send(topic, r.getKey(), r.getValue())).toList();
            List<Map.Entry<String, Object>> failed = new ArrayList<>();
            Exception cause = null;
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    failed.add(pending.get(i));
                    cause = e;
                }
            }
            if (failed.isEmpty()) {
                return true;
            }
            log.warn("Kafka did not take {} of {} record(s) for {} ({}); retrying in {} ms", failed.size(),
                    pending.size(), failed.getFirst().getKey(), cause, backoff.toMillis());
            if (!stop.sleep(backoff)) {
                return false;
            }
            pending = failed;
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                    : backoff.multipliedBy(2);
        }
    }
}
