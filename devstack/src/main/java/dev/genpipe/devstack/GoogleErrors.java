package dev.genpipe.devstack;

import dev.genpipe.devstack.GeminiStandIn.Failure;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Error bodies in Google's format: {@code {"error":{"code":..,"message":..,"status":..,"details":[..]}}}. */
final class GoogleErrors {

    private static final String QUOTA_METRIC = "generativelanguage.googleapis.com/generate_content_free_tier_requests";
    private static final String PER_MINUTE = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier";
    private static final String PER_DAY = "GenerateRequestsPerDayPerProjectPerModel-FreeTier";

    /** What Gemini's RetryInfo says on a spent per-day quota: a few seconds, not when the quota resets. */
    private static final Duration GEMINI_DAILY_RETRY = Duration.ofSeconds(13);
    private static final String QUOTA_EXCEEDED = "You exceeded your current quota, please check your plan and billing "
            + "details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.";

    private final JsonMapper mapper;

    GoogleErrors(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The body for an injected failure ({@link Failure#HANG} has none). */
    String forFailure(Failure failure, String model, StandInSettings.Snapshot settings) {
        return switch (failure) {
            case BAD_REQUEST -> simple(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
            case RATE_LIMITED -> quota(model, PER_MINUTE, 10, settings.retryDelay());
            case QUOTA_EXHAUSTED_DAILY -> quota(model, PER_DAY, 250, settings.dailyRetryDelay());
            case DAILY_QUOTA -> quota(model, PER_DAY, 250, GEMINI_DAILY_RETRY);
            case QUOTA_NO_DELAY -> simple(429, "RESOURCE_EXHAUSTED", QUOTA_EXCEEDED);
            case SERVER_ERROR -> simple(500, "INTERNAL", "An internal error has occurred. Please retry or report in "
                    + "https://developers.generativeai.google/guide/troubleshooting");
            case UNAVAILABLE -> simple(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
            case HANG -> throw new IllegalArgumentException("a hanging call has no error body");
        };
    }

    String simple(int code, String status, String message) {
        ObjectNode root = mapper.createObjectNode();
        error(root, code, status, message);
        return mapper.writeValueAsString(root);
    }

    private String quota(String model, String quotaId, int limit, Duration retryDelay) {
        String delay = retryDelay.toSeconds() + "s";
        String message = QUOTA_EXCEEDED + "\n"
                + "* Quota exceeded for metric: " + QUOTA_METRIC + ", limit: " + limit + ", model: " + model + "\n"
                + "Please retry in " + delay + ".";
        ObjectNode root = mapper.createObjectNode();
        ArrayNode details = error(root, 429, "RESOURCE_EXHAUSTED", message).putArray("details");
        ObjectNode quotaFailure = details.addObject();
        quotaFailure.put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
        ObjectNode violation = quotaFailure.putArray("violations").addObject();
        violation.put("quotaMetric", QUOTA_METRIC);
        violation.put("quotaId", quotaId);
        ObjectNode dimensions = violation.putObject("quotaDimensions");
        dimensions.put("model", model);
        dimensions.put("location", "global");
        violation.put("quotaValue", Integer.toString(limit));
        ObjectNode retryInfo = details.addObject();
        retryInfo.put("@type", "type.googleapis.com/google.rpc.RetryInfo");
        retryInfo.put("retryDelay", delay);
        return mapper.writeValueAsString(root);
    }

    private static ObjectNode error(ObjectNode root, int code, String status, String message) {
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        return error;
    }
}
