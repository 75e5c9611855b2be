package dev.genpipe.worker.processing;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
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
    private final KafkaTemplate<String, Object> kafka;
    private final KafkaWrites writes;

    JobEvents(KafkaTemplate<String, Object> kafka, KafkaWrites writes) {
        this.kafka = kafka;
        this.writes = writes;
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
        return writes.sendAndWait(List.of(new ProducerRecord<>(topic, key, value)), stop);
    }

    private boolean sendAllAndWait(String topic, List<Map.Entry<String, Object>> records, StopSignal stop) {
        return writes.sendAndWait(records.stream()
                .map(r -> new ProducerRecord<>(topic, r.getKey(), r.getValue())).toList(), stop);
    }
}
