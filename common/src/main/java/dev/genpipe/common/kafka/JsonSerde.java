package dev.genpipe.common.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kafka (de)serializer for the wire records. Every value carries {@code "schema": N}; a reader refuses a schema
 * newer than it knows (that record goes to the dead-letter topic instead of being half understood).
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    public static final int SCHEMA_VERSION = 1;
    static final String SCHEMA_FIELD = "schema";
    private static final byte[] SCHEMA_PREFIX = ("{\"" + SCHEMA_FIELD + "\":" + SCHEMA_VERSION + ",")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final int NOT_LEADING = Integer.MIN_VALUE;

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
        // one pass: the value's own JSON object with the schema spliced in as its first field
        byte[] json = GenPipeJson.mapper().writeValueAsBytes(data);
        if (json.length < 2 || json[0] != '{') {
            throw new SerializationException(type.getSimpleName() + " is not written as a JSON object");
        }
        boolean empty = json.length == 2;
        byte[] out = new byte[SCHEMA_PREFIX.length + json.length - 1 - (empty ? 1 : 0)];
        System.arraycopy(SCHEMA_PREFIX, 0, out, 0, SCHEMA_PREFIX.length);
        if (empty) {
            out[SCHEMA_PREFIX.length - 1] = '}';
        } else {
            System.arraycopy(json, 1, out, SCHEMA_PREFIX.length, json.length - 1);
        }
        return out;
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            if (startsWithSchemaPrefix(bytes)) { // as this serde writes: one parse, "schema" ignored as unknown
                return GenPipeJson.mapper().readValue(bytes, type);
            }
            int schema = leadingSchema(bytes);
            if (schema == NOT_LEADING) {
                return deserializeTree(topic, bytes); // written by another writer: the schema may be anywhere
            }
            checkSchema(schema, topic);
            return GenPipeJson.mapper().readValue(bytes, type); // unknown fields, "schema" among them, are ignored
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether the value begins exactly as this serde writes it: {@code {"schema":1,} (a byte compare, no parse). */
    private static boolean startsWithSchemaPrefix(byte[] bytes) {
        return bytes.length > SCHEMA_PREFIX.length
                && java.util.Arrays.equals(bytes, 0, SCHEMA_PREFIX.length, SCHEMA_PREFIX, 0, SCHEMA_PREFIX.length);
    }

    /** The value of {@code "schema"} when it is the first field (as this serde writes it), else NOT_LEADING. */
    private static int leadingSchema(byte[] bytes) {
        try (JsonParser parser = GenPipeJson.mapper().createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.PROPERTY_NAME
                    || !SCHEMA_FIELD.equals(parser.currentName())) {
                return NOT_LEADING;
            }
            return parser.nextToken() == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : 0;
        }
    }

    private T deserializeTree(String topic, byte[] bytes) {
        JsonNode node = GenPipeJson.mapper().readTree(bytes);
        if (!(node instanceof ObjectNode object)) {
            throw new SerializationException("not a JSON object on " + topic);
        }
        checkSchema(object.path(SCHEMA_FIELD).asInt(0), topic);
        object.remove(SCHEMA_FIELD);
        return GenPipeJson.mapper().treeToValue(object, type);
    }

    private void checkSchema(int schema, String topic) {
        if (schema < 1 || schema > SCHEMA_VERSION) {
            throw new SerializationException("unsupported schema version " + schema + " of " + type.getSimpleName()
                    + " on " + topic + " (this build reads up to " + SCHEMA_VERSION + ")");
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
