package dev.genpipe.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.genpipe.common.kafka.Topics;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A job's lane. {@code interactive} (the default) is somebody waiting for the answer; {@code bulk} is work that may
 * wait: it never delays interactive jobs, and keeps a reserved share of a worker's in-flight places while it waits
 * (see docs/design.md, "Priority lanes"). Each lane has its own topic; the job's one record goes to its lane's.
 */
public enum Priority {
    INTERACTIVE(Topics.JOBS),
    BULK(Topics.JOBS_BULK);

    /** The names a request may give, as they are written ({@code interactive, bulk}). */
    public static final String NAMES = Arrays.stream(values()).map(Priority::wireName)
            .collect(Collectors.joining(", "));

    private final String topic;

    Priority(String topic) {
        this.topic = topic;
    }

    /** The topic of this lane's requests. */
    public String topic() {
        return topic;
    }

    /** The lane whose requests {@code topic} carries, if it is a request topic. */
    public static Optional<Priority> ofTopic(String topic) {
        return Arrays.stream(values()).filter(p -> p.topic.equals(topic)).findFirst();
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The lane called {@code name} (any case, surrounding space ignored), if there is one. */
    public static Optional<Priority> named(String name) {
        String wanted = name.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.name().equals(wanted)).findFirst();
    }

    @JsonCreator
    public static Priority fromWire(String name) {
        return name == null ? null : named(name).orElse(INTERACTIVE);
    }
}
