package dev.genpipe.common.kafka;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.job.JobRequested;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One Kafka value serializer for every wire record ({@link JobRequested}, {@link JobEvent}, {@link JobView}), so a
 * single (transactional) producer can write a request and its first event together.
 */
public final class WireSerializer implements Serializer<Object> {

    private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
    private static final JsonSerde<Object> OTHERS = JsonSerde.of(Object.class);

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        return data instanceof JobEvent event ? EVENTS.serialize(topic, event) : OTHERS.serialize(topic, data);
    }
}
