package dev.genpipe.common.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The message on {@code genpipe.jobs} (or, for the bulk lane, {@code genpipe.jobs.bulk}: {@link #priority()}'s topic):
 * somebody asked for a generation. Keyed by {@link #fingerprint()} so identical requests meet on one partition (of a
 * lane's topic; both lanes share the cache and single-flight, whose keys do not include the lane). {@code clientId}
 * names the client that owns the job (only it may read, follow or cancel it); null in records written before clients
 * existed. {@code callbackUrl} is where the API POSTs the finished job (a signed webhook); null for none, and in records
 * written before webhooks existed. {@code priority} is null in records written before lanes existed: interactive.
 * {@code allowFallback} says whether the job may be answered by the workers' fallback model while the primary is
 * unavailable; null (the client did not say, or a record written before fallbacks existed) means the workers' default
 * ({@code GENPIPE_ALLOW_FALLBACK}).
 */
public record JobRequested(
        JobId jobId,
        JobType type,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "type")
        @JsonSubTypes({
                @JsonSubTypes.Type(value = SubtopicsInput.class, name = "SUBTOPICS"),
                @JsonSubTypes.Type(value = ExplanationInput.class, name = "EXPLANATION"),
                @JsonSubTypes.Type(value = PresentationInput.class, name = "PRESENTATION")})
        JobInput input,
        Instant requestedAt,
        String clientId,
        JobId parentId,
        Integer section,
        String callbackUrl,
        Priority priority,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean allowFallback) {

    public JobRequested {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(requestedAt, "requestedAt");
        type = input.type();
        priority = priority == null ? Priority.INTERACTIVE : priority;
    }

    public JobRequested(JobId jobId, JobInput input, Instant requestedAt) {
        this(jobId, input, requestedAt, null, null, Priority.INTERACTIVE);
    }

    public JobRequested(JobId jobId, JobInput input, Instant requestedAt, String clientId) {
        this(jobId, input, requestedAt, clientId, null, Priority.INTERACTIVE);
    }

    public JobRequested(JobId jobId, JobInput input, Instant requestedAt, String clientId, Priority priority) {
        this(jobId, input, requestedAt, clientId, null, priority);
    }

    /** A job of {@code clientId} in lane {@code priority} whose end is POSTed to {@code callbackUrl} (null: none). */
    public JobRequested(JobId jobId, JobInput input, Instant requestedAt, String clientId, String callbackUrl,
                        Priority priority) {
        this(jobId, input, requestedAt, clientId, callbackUrl, priority, null);
    }

    /** The same, saying whether the job may run on the fallback model (null: the workers' default). */
    public JobRequested(JobId jobId, JobInput input, Instant requestedAt, String clientId, String callbackUrl,
                        Priority priority, Boolean allowFallback) {
        this(jobId, input.type(), input, requestedAt, clientId, null, null, callbackUrl, priority, allowFallback);
    }

    /**
     * Section {@code section} (0-based) of presentation {@code parent}: an EXPLANATION child job, in its
     * presentation's lane, allowed to fall back as its presentation is (sections never carry a callback: the
     * presentation's end is what a client hears of).
     */
    public static JobRequested child(JobRequested parent, int section, ExplanationInput input, Instant at) {
        return new JobRequested(childId(parent.jobId(), section), input.type(), input, at, parent.clientId(),
                parent.jobId(), section, null, parent.priority(), parent.allowFallback());
    }

    /**
     * The id of a presentation's section job: derived from the parent, so planning the same presentation twice (a
     * re-delivered parent) names the same children.
     */
    public static JobId childId(JobId parent, int section) {
        String hex = Fingerprints.sha256(parent + "/section/" + section);
        long high = Long.parseUnsignedLong(hex.substring(0, 16), 16);
        long low = Long.parseUnsignedLong(hex.substring(16, 32), 16);
        return new JobId(new UUID((high & ~0xF000L) | 0x8000L, (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L));
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean partOfPresentation() {
        return parentId != null;
    }

    /**
     * The Kafka key of this job's events on {@code genpipe.job-events}: its own id, or for a presentation's section its
     * presentation's. A presentation and its sections share one partition, so the order in which a section ends and
     * the presentation is cancelled or completes is the same for every reader, and the fan-in needs no record of its
     * own.
     */
    public String eventKey() {
        return eventKey(jobId, parentId);
    }

    /** {@link #eventKey()} of a job with this id and (for a section) presentation. */
    public static String eventKey(JobId jobId, JobId parentId) {
        return (parentId == null ? jobId : parentId).toString();
    }

    /** Whether the job may run on the fallback model: its own say, or {@code byDefault} when it has none. */
    public boolean allowsFallback(boolean byDefault) {
        return allowFallback == null ? byDefault : allowFallback;
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
