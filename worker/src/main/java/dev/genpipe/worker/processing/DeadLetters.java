package dev.genpipe.worker.processing;

import dev.genpipe.common.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
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

    private final KafkaTemplate<String, Object> kafka;
    private final MeterRegistry meters;

    DeadLetters(KafkaTemplate<String, Object> kafka, MeterRegistry meters) {
        this.kafka = kafka;
        this.meters = meters;
    }

    /** Waits until Kafka has the dead letter (the original is committed right after). */
    void send(ConsumerRecord<String, byte[]> original, String key, String code, String reason) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(Topics.JOBS_DLT, key, original.value());
        record.headers()
                .add(new RecordHeader(CODE, code.getBytes(StandardCharsets.UTF_8)))
                .add(new RecordHeader(REASON, reason.getBytes(StandardCharsets.UTF_8)))
                .add(new RecordHeader(ORIGIN, (original.topic() + "-" + original.partition() + "@" + original.offset())
                        .getBytes(StandardCharsets.UTF_8)));
        try {
            kafka.send(record).get(30, TimeUnit.SECONDS);
            meters.counter("genpipe.jobs.dead_lettered", "code", code).increment();
            log.warn("dead-lettered {}-{}@{} ({}): {}", original.topic(), original.partition(), original.offset(), code,
                    reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not dead-letter " + original.topic() + "-" + original.partition()
                    + "@" + original.offset(), e);
        }
    }
}
