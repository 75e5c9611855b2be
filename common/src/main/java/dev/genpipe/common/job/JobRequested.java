package dev.genpipe.common.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * The message on {@code genpipe.jobs}: somebody asked for a generation. Keyed by {@link #fingerprint()}
 * so identical requests meet on one partition. {@code clientId} names the client that owns the job (only it may read,
 * follow or cancel it); null in records written before clients existed.
 */
public record JobRequested(
        JobId jobId,
        JobType type,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "type")
        @JsonSubTypes({
                @JsonSubTypes.Type(value = SubtopicsInput.class, name = "SUBTOPICS"),
                @JsonSubTypes.Type(value = ExplanationInput.class, name = "EXPLANATION")})
        JobInput input,
        Instant requestedAt,
        String clientId) {

    public JobRequested {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(requestedAt, "requestedAt");
        type = input.type();
    }

    public JobRequested(JobId jobId, JobInput input, Instant requestedAt) {
        this(jobId, input.type(), input, requestedAt, null);
    }

    public JobRequested(JobId jobId, JobInput input, Instant requestedAt, String clientId) {
        this(jobId, input.type(), input, requestedAt, clientId);
    }

    /** Whether {@code client} owns this job. */
    public boolean ownedBy(String client) {
        return Objects.equals(clientId, client);
    }

    /** Type + normalized input: the Kafka key of the request. */
    public String fingerprint() {
        return fingerprint(input);
    }

    /** The fingerprint a request for {@code input} has. */
    public static String fingerprint(JobInput input) {
        return Fingerprints.sha256(input.type() + "|" + input.normalized());
    }
}
