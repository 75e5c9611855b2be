package dev.genpipe.worker.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The worker's one way to write records that must reach Kafka before a job's offset may be committed (terminal
 * events, a presentation's plan and sections, dead letters): every record is sent, then every acknowledgement awaited
 * (one round trip for all); what Kafka did not take is sent again after a back-off (200 ms doubling to 10 s) until it
 * did or the worker stops. A Kafka outage therefore delays a job, never loses it, and never leaves it unfinished.
 */
@Component
class KafkaWrites {

    private static final Logger log = LoggerFactory.getLogger(KafkaWrites.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(10);

    private final KafkaTemplate<String, Object> kafka;

    KafkaWrites(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    /**
     * Waits for the one send's outcome, however long the producer takes (its {@code delivery.timeout.ms} bounds it):
     * a record still under way is never sent again, since both copies could be written (a second terminal event).
     *
     * @return false when the worker stopped first
     */
    private static boolean awaitAck(CompletableFuture<?> ack, StopSignal stop)
            throws InterruptedException, ExecutionException {
        while (true) {
            try {
                ack.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException stillUnderWay) {
                if (stop.isStopped()) {
                    return false;
                }
                log.warn("Kafka has not acknowledged a record for {} s; still waiting", SEND_TIMEOUT.toSeconds());
            }
        }
    }

    /** @return true once Kafka has every record; false when the worker stopped first (the job is re-delivered) */
    boolean sendAndWait(List<ProducerRecord<String, Object>> records, StopSignal stop) {
        Duration backoff = FIRST_BACKOFF;
        List<ProducerRecord<String, Object>> pending = records;
        while (true) {
            List<CompletableFuture<?>> sent = new ArrayList<>(pending.size());
            List<ProducerRecord<String, Object>> failed = new ArrayList<>();
            Exception cause = null;
            for (ProducerRecord<String, Object> record : pending) {
                try {
                    sent.add(kafka.send(record));
                } catch (RuntimeException e) { // refused at once (no metadata within max.block.ms)
                    sent.add(CompletableFuture.failedFuture(e));
                }
            }
            for (int i = 0; i < sent.size(); i++) {
                try {
                    if (!awaitAck(sent.get(i), stop)) {
                        return false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (ExecutionException | RuntimeException e) {
                    failed.add(pending.get(i));
                    cause = e;
                }
            }
            if (failed.isEmpty()) {
                return true;
            }
            log.warn("Kafka did not take {} of {} record(s) for {} on {} ({}); retrying in {} ms", failed.size(),
                    pending.size(), failed.getFirst().key(), failed.getFirst().topic(), cause, backoff.toMillis());
            if (!stop.sleep(backoff)) {
                return false;
            }
            pending = failed;
            backoff = backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : backoff.multipliedBy(2);
        }
    }
}
