package dev.genpipe.worker.gemini;

import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import dev.genpipe.worker.gemini.GeminiFailure.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns whatever the SDK threw into one {@link GeminiFailure}. The SDK's {@code ApiException} has no accessor for an
 * error body's {@code details}, but google-genai 2.3.0 appends each of them as JSON to its message
 * ({@code …\nDetails: {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{…"quotaId":…}]}
 * {"@type":"…RetryInfo","retryDelay":"13s"}}), and Gemini often writes the delay into the message itself
 * ("Please retry in 48.1s."): the message is where the quota ids and the delay are read ({@code RealQuotaErrorsTest}
 * holds the SDK to it).
 * A 429 is a per-day quota when
 * <ul>
 *   <li>a quota id names a per-day limit ({@code GenerateRequestsPerDayPerProjectPerModel-FreeTier}: Gemini then
 *       often still gives a short RetryInfo delay, which is not when the quota resets), or</li>
 *   <li>it says "You exceeded your current quota" with no retry delay at all (per-minute quotas always give one),
 *       or</li>
 *   <li>its delay is longer than {@link #LONGEST_MINUTE_WAIT} (per-minute quotas reset within a minute).</li>
 * </ul>
 */
final class GeminiFailures {

    static final Duration LONGEST_MINUTE_WAIT = Duration.ofSeconds(90);
    private static final String QUOTA_EXCEEDED = "exceeded your current quota";
    private static final Pattern RETRY_IN = Pattern.compile(
            "(?:retry in|retryDelay\"?\\s*[:=]\\s*\"?)\\s*(\\d+(?:\\.\\d+)?)s", Pattern.CASE_INSENSITIVE);

    private GeminiFailures() {
    }

    static GeminiFailure classify(Throwable error) {
        if (error instanceof GeminiFailure failure) {
            return failure;
        }
        if (error instanceof ApiException api) {
            return classifyStatus(api.code(), api.getMessage(), error);
        }
        if (error instanceof GenAiIOException || error instanceof IOException || error instanceof InterruptedIOException
                || error.getCause() instanceof IOException) {
            return new GeminiFailure(Kind.UNAVAILABLE, "Gemini unreachable or too slow: " + error.getMessage(), null, error);
        }
        return new GeminiFailure(Kind.UNAVAILABLE, "unexpected error calling Gemini: " + error, null, error);
    }

    static GeminiFailure classifyStatus(int status, String message, Throwable cause) {
        String text = message == null ? "" : message;
        return switch (status) {
            case 400, 404, 413, 422 -> new GeminiFailure(Kind.INVALID_REQUEST,
                    "Gemini rejected the request (" + status + "): " + text, null, cause);
            case 401, 403 -> new GeminiFailure(Kind.QUOTA_EXHAUSTED,
                    "Gemini refused our credentials (" + status + "): " + text, null, cause);
            case 429 -> rateLimit(text, cause);
            default -> new GeminiFailure(Kind.UNAVAILABLE, "Gemini failed (" + status + "): " + text, null, cause);
        };
    }

    private static GeminiFailure rateLimit(String text, Throwable cause) {
        Duration delay = retryDelay(text);
        boolean daily = text.contains("PerDay")
                || (delay == null && text.toLowerCase(Locale.ROOT).contains(QUOTA_EXCEEDED))
                || (delay != null && delay.compareTo(LONGEST_MINUTE_WAIT) > 0);
        if (daily) {
            return GeminiFailure.dailyQuota("Gemini daily quota exhausted: " + text, delay, cause);
        }
        return new GeminiFailure(Kind.RATE_LIMITED, "Gemini rate limit reached: " + text, delay, cause);
    }

    static Duration retryDelay(String text) {
        Matcher m = RETRY_IN.matcher(text);
        if (!m.find()) {
            return null;
        }
        return Duration.ofMillis((long) Math.ceil(Double.parseDouble(m.group(1)) * 1000));
    }
}
