package dev.genpipe.worker.processing;

import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * The jobs cancelled by their clients, as every worker knows them: {@code genpipe.job-cancellations} followed from its
 * beginning (a day of retention). A job is checked before its work starts and before each Gemini call; a
 * presentation's sections are cancelled with it.
 */
@Component
class Cancellations extends TopicFollower {

    private static final Duration REMEMBERED = Duration.ofDays(2);

    private final Map<String, Instant> cancelled = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();

    Cancellations(ConsumerFactory<String, byte[]> consumers, WorkerSettings worker,
                  io.micrometer.core.instrument.MeterRegistry meters) {
        super(consumers, Topics.JOB_CANCELLATIONS, true, "cancellations-" + worker.id());
        io.micrometer.core.instrument.FunctionCounter.builder("genpipe.cancellations.read", read,
                java.util.concurrent.atomic.AtomicLong::get)
                .description("cancellations this worker has read (it starts no cancelled job after reading it)")
                .register(meters);
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        if (record.key() != null) {
            cancelled.put(record.key(), Instant.ofEpochMilli(record.timestamp()));
            Instant horizon = Instant.now().minus(REMEMBERED);
            cancelled.values().removeIf(at -> at.isBefore(horizon));
            read.incrementAndGet();
        }
    }

    boolean cancelled(JobRequested request) {
        return cancelled.containsKey(request.jobId().toString())
                || (request.parentId() != null && cancelled.containsKey(request.parentId().toString()));
    }
}
