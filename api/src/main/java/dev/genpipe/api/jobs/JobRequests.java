package dev.genpipe.api.jobs;

import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.FieldViolation;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobType;
import dev.genpipe.common.job.PresentationInput;
import dev.genpipe.common.job.Priority;
import dev.genpipe.common.job.SubtopicsInput;
import dev.genpipe.common.kafka.GenPipeJson;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Turns a {@code POST /api/jobs} body ({@code {"type": ..., "input": {...}, "priority": ...}}) into a valid
 * {@link JobInput} and its {@link Priority}.
 * Turns a {@code POST /api/jobs} body ({@code {"type": ..., "input": {...}, "allowFallback": true}}) into a valid
 * {@link JobInput} and the job's options.
 */
final class JobRequests {

    private static final String ALLOWED_TYPES = Arrays.stream(JobType.values()).map(Enum::name)
            .collect(Collectors.joining(", "));

    private JobRequests() {
    }

    /** @throws InvalidJobRequest naming the offending fields */
    static JobInput parse(JsonNode body) {
        JobType type = type(body.get("type"));
        JsonNode input = body.get("input");
        if (input == null || !input.isObject()) {
            throw new InvalidJobRequest("input", "must be an object");
        }
        JobInput parsed = read(input, switch (type) {
            case SUBTOPICS -> SubtopicsInput.class;
            case EXPLANATION -> ExplanationInput.class;
            case PRESENTATION -> PresentationInput.class;
        });
        List<FieldViolation> violations = parsed.violations();
        if (!violations.isEmpty()) {
            throw new InvalidJobRequest(violations);
        }
        return parsed;
    }

    /** The body's optional {@code callbackUrl} (null when absent). @throws InvalidJobRequest when it is no string */
    static String callbackUrl(JsonNode body) {
        JsonNode url = body.get("callbackUrl");
        if (url == null || url.isNull()) {
            return null;
        }
        if (!url.isString() || url.asString().isBlank()) {
            throw new InvalidJobRequest("callbackUrl", "must be a URL string");
        }
        return url.asString().strip();
    }

    /** The body's {@code priority}: {@code interactive} when it gives none. @throws InvalidJobRequest naming it */
    static Priority priority(JsonNode body) {
        JsonNode node = body.get("priority");
        if (node == null || node.isNull()) {
            return Priority.INTERACTIVE;
        }
        return (node.isString() ? Priority.named(node.asString()) : java.util.Optional.<Priority>empty())
                .orElseThrow(() -> new InvalidJobRequest("priority", "must be one of " + Priority.NAMES));
    }

    /**
     * The optional {@code allowFallback}: whether the job may be answered by the fallback model while the primary is
     * unavailable; null when the body does not say (the workers' GENPIPE_ALLOW_FALLBACK decides).
     *
     * @throws InvalidJobRequest when it is there but not a boolean
     */
    static Boolean allowFallback(JsonNode body) {
        JsonNode value = body.get("allowFallback");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidJobRequest("allowFallback", "must be true or false");
        }
        return value.asBoolean();
    }

    private static JobType type(JsonNode node) {
        if (node != null && node.isString()) {
            String name = node.asString().strip().toUpperCase(Locale.ROOT);
            for (JobType type : JobType.values()) {
                if (type.name().equals(name)) {
                    return type;
                }
            }
        }
        throw new InvalidJobRequest("type", "must be one of " + ALLOWED_TYPES);
    }

    private static JobInput read(JsonNode input, Class<? extends JobInput> inputClass) {
        try {
            return GenPipeJson.mapper().treeToValue(input, inputClass);
        } catch (JacksonException e) {
            String path = e.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new InvalidJobRequest(path.isEmpty() ? "input" : "input." + path, "has the wrong type");
        }
    }
}
