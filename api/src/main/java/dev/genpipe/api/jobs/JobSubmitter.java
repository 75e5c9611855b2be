package dev.genpipe.api.jobs;

import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Enqueues a job: its {@link JobRequested} (to the workers, keyed by fingerprint) and its {@link JobQueued} (to the
 * job's event history, keyed by job id) in one Kafka transaction. Returns only after the commit, so a 202 means both
 * records are durable; a failure aborts the transaction and nothing was accepted.
 */
@Component
class JobSubmitter {

    private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);

    private final KafkaTemplate<String, Object> kafka;
    private final MeterRegistry registry;

    JobSubmitter(KafkaTemplate<String, Object> kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** @throws KafkaUnavailable when Kafka did not take the job */
    JobRequested submit(JobInput input) {
        JobRequested request = new JobRequested(JobId.random(), input, Instant.now());
        try {
            kafka.executeInTransaction(operations -> {
                operations.send(Topics.JOBS, request.fingerprint(), request);
                operations.send(Topics.JOB_EVENTS, request.jobId().toString(), JobQueued.of(request));
                return null;
            });
        } catch (SerializationException e) {
            throw e; // a bug, not an outage
        } catch (org.apache.kafka.common.KafkaException | org.springframework.kafka.KafkaException e) {
            log.warn("job {} not accepted: Kafka write failed: {}", request.jobId(), e.toString());
            throw new KafkaUnavailable(e);
        }
        Counter.builder("genpipe.jobs.submitted")
                .description("Jobs accepted (written to Kafka)")
                .tag("type", input.type().name())
                .register(registry)
                .increment();
        log.debug("job {} accepted ({})", request.jobId(), input.type());
        return request;
    }
}
