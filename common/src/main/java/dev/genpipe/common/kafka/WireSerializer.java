package dev.genpipe.common.kafka;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.job.JobRequested;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One Kafka value serializer for every wire record ({@link JobRequested}, {@link JobEvent}, worker status and commands),
 * so one producer writes them all. Raw bytes (a dead letter's
 * original payload) pass through unchanged.
 */
public final class WireSerializer implements Serializer<Object> {

    private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
    private static final JsonSerde<Object> OTHERS = JsonSerde.of(Object.class);

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        return switch (data) {
            case byte[] raw -> raw; // dead letters keep the original bytes
            case JobEvent event -> EVENTS.serialize(topic, event);
            case null -> null;
            default -> OTHERS.serialize(topic, data);
        };
    }
}
