package dev.genpipe.common.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kafka (de)serializer for the wire records. Every value carries {@code "schema": N}; a reader refuses a schema
 * newer than it knows (that record goes to the dead-letter topic instead of being half understood).
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    public static final int SCHEMA_VERSION = 1;
    static final String SCHEMA_FIELD = "schema";

    private final Class<T> type;

    private JsonSerde(Class<T> type) {
        this.type = type;
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        ObjectNode node = GenPipeJson.mapper().valueToTree(data);
        node.put(SCHEMA_FIELD, SCHEMA_VERSION);
        return GenPipeJson.mapper().writeValueAsBytes(node);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode node = GenPipeJson.mapper().readTree(bytes);
            if (!(node instanceof ObjectNode object)) {
                throw new SerializationException("not a JSON object on " + topic);
            }
            int schema = object.path(SCHEMA_FIELD).asInt(0);
            if (schema < 1 || schema > SCHEMA_VERSION) {
                throw new SerializationException("unsupported schema version " + schema + " of " + type.getSimpleName()
                        + " on " + topic + " (this build reads up to " + SCHEMA_VERSION + ")");
            }
            object.remove(SCHEMA_FIELD);
            return GenPipeJson.mapper().treeToValue(object, type);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
