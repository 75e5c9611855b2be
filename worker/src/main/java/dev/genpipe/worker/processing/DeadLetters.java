package dev.genpipe.worker.processing;

import dev.genpipe.common.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes records that cannot be processed to {@code genpipe.jobs.dlt}: the original bytes, with the reason and the
 * origin in headers. A poison record never blocks its partition.
 */
@Component
class DeadLetters {

    static final String REASON = "genpipe-dlt-reason";
    static final String CODE = "genpipe-dlt-code";
    static final String ORIGIN = "genpipe-dlt-origin";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final KafkaWrites writes;
    private final MeterRegistry meters;

    DeadLetters(KafkaWrites writes, MeterRegistry meters) {
        this.writes = writes;
        this.meters = meters;
    }

    /**
     * Waits until Kafka has the dead letter (the original is committed right after), retrying while Kafka is
     * unreachable like every write a commit depends on. @return false when the worker stopped first
     */
    boolean send(ConsumerRecord<String, byte[]> original, String key, String code, String reason, StopSignal stop) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(Topics.JOBS_DLT, key, original.value());
        record.headers()
                .add(new RecordHeader(CODE, code.getBytes(StandardCharsets.UTF_8)))
                .add(new RecordHeader(REASON, reason.getBytes(StandardCharsets.UTF_8)))
                .add(new RecordHeader(ORIGIN, (original.topic() + "-" + original.partition() + "@" + original.offset())
                        .getBytes(StandardCharsets.UTF_8)));
        if (!writes.sendAndWait(List.of(record), stop)) {
            return false;
        }
        meters.counter("genpipe.jobs.dead_lettered", "code", code).increment();
        log.warn("dead-lettered {}-{}@{} ({}): {}", original.topic(), original.partition(), original.offset(), code,
                reason);
        return true;
    }
}
