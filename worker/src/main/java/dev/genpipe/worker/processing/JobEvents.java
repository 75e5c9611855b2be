package dev.genpipe.worker.processing;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.Topics;
import java.util.List;
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

    /**
     * Publishes a terminal event and waits until Kafka has it, retrying while Kafka is unreachable. Only then may the
     * job's offset be committed.
     *
     * @return false when the worker is stopping before Kafka took it (the record is then re-delivered)
     */
    boolean publishAndWait(JobRequested job, JobEvent event, StopSignal stop) {
        return sendAndWait(Topics.JOB_EVENTS, job.eventKey(), event, stop);
    }

    /** Queues jobs (a presentation's sections) on their lane's topic and waits until Kafka has them all. */
    boolean requestAllAndWait(List<JobRequested> requests, StopSignal stop) {
        return writes.sendAndWait(requests.stream()
                .map(r -> new ProducerRecord<String, Object>(r.priority().topic(), r.fingerprint(), r)).toList(), stop);
    }

    private boolean sendAndWait(String topic, String key, Object value, StopSignal stop) {
        return writes.sendAndWait(List.of(new ProducerRecord<>(topic, key, value)), stop);
    }
}
