package dev.genpipe.worker.gemini;

import dev.genpipe.common.kafka.GenPipeJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps what Gemini says in an error's {@code details} where the SDK can see it. The SDK's {@code ApiException}
 * holds only the code, the status and {@code error.message} of an error body (google-genai 2.3.0: the body is read
 * once and the rest dropped), but whether a 429 is a per-day quota is written in {@code details}: a
 * {@code google.rpc.QuotaFailure}'s {@code violations[].quotaId} (such as
 * {@code GenerateRequestsPerDayPerProjectPerModel-FreeTier}) and a {@code google.rpc.RetryInfo}'s
 * {@code retryDelay}. This interceptor on the SDK's HTTP client appends them to the message
 * ({@code … [quotaId: GenerateRequestsPerDayPerProjectPerModel-FreeTier; retryDelay: 13s]}), so that
 * {@link GeminiFailures} classifies from the message alone.
 */
final class ErrorDetails implements Interceptor {

    private static final long LARGEST_BODY = 64 * 1024;

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        ResponseBody body = response.body();
        if (response.code() < 400 || body == null) {
            return response;
        }
        String text = response.peekBody(LARGEST_BODY).string();
        String enriched = enrich(text);
        if (enriched.equals(text)) {
            return response;
        }
        ResponseBody replacement = ResponseBody.create(enriched, body.contentType());
        body.close();
        return response.newBuilder().body(replacement).build();
    }

    /** The error body with its quota ids and retry delay appended to {@code error.message}; unchanged without them. */
    static String enrich(String body) {
        JsonNode root;
        try {
            root = GenPipeJson.mapper().readTree(body);
        } catch (JacksonException notJson) {
            return body;
        }
        if (!(root.path("error") instanceof ObjectNode error)) {
            return body;
        }
        List<String> quotaIds = new ArrayList<>();
        String retryDelay = null;
        for (JsonNode detail : error.path("details")) {
            String type = detail.path("@type").asString("");
            if (type.endsWith("google.rpc.QuotaFailure")) {
                for (JsonNode violation : detail.path("violations")) {
                    if (violation.path("quotaId").isString()) {
                        quotaIds.add(violation.path("quotaId").asString());
                    }
                }
            } else if (type.endsWith("google.rpc.RetryInfo") && detail.path("retryDelay").isString()) {
                retryDelay = detail.path("retryDelay").asString();
            }
        }
        List<String> said = new ArrayList<>();
        if (!quotaIds.isEmpty()) {
            said.add("quotaId: " + String.join(", ", quotaIds));
        }
        if (retryDelay != null) {
            said.add("retryDelay: " + retryDelay);
        }
        if (said.isEmpty()) {
            return body;
        }
        error.put("message", error.path("message").asString("") + " [" + String.join("; ", said) + "]");
        return GenPipeJson.mapper().writeValueAsString(root);
    }
}
