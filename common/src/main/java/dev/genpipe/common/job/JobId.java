package dev.genpipe.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A job's identity: a random (version 4) UUID, 122 random bits from a cryptographically strong source. */
public record JobId(UUID value) {

    public JobId {
        Objects.requireNonNull(value, "value");
    }

    public static JobId random() {
        return new JobId(UUID.randomUUID());
    }

    @JsonCreator
    public static JobId of(String text) {
        return new JobId(UUID.fromString(text));
    }

    /** Parses user-supplied text; empty when it is not a canonical UUID (so callers answer 404, not 500). */
    public static Optional<JobId> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID uuid = UUID.fromString(text);
            return uuid.toString().equalsIgnoreCase(text) ? Optional.of(new JobId(uuid)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
